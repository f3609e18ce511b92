#include "weiquan/node/node_dir.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "atomic_file.h"

namespace wq::node {

namespace {

using json = nlohmann::json;

Result<std::string> read_small_file(const fs::path& path, std::string_view missing_code) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(std::string(missing_code), path.string() + " does not exist");
  std::string text(kMaxConfigBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kMaxConfigBytes) {
    return make_error("node.config_invalid", path.string() + " is larger than 64 KiB");
  }
  return text;
}

Result<json> parse_json(const std::string& text, const fs::path& path, std::string_view code) {
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return make_error(std::string(code), path.string() + " is not a JSON object");
  }
  return doc;
}

Result<std::string> string_member(const json& doc, const char* name, const fs::path& path,
                                  std::string_view code) {
  const auto it = doc.find(name);
  if (it == doc.end() || !it->is_string()) {
    return make_error(std::string(code), path.string() + ": \"" + name + "\" must be a string");
  }
  return it->get<std::string>();
}

Result<crypto::PublicKey> key_member(const json& doc, const char* name, const fs::path& path,
                                     std::string_view code) {
  auto hex = string_member(doc, name, path, code);
  if (!hex) return hex.error();
  auto bytes = crypto::from_hex(*hex);
  if (!bytes) return make_error(std::string(code), path.string() + ": \"" + name + "\" is not hex");
  auto key = crypto::to_array<32>(*bytes);
  if (!key)
    return make_error(std::string(code), path.string() + ": \"" + name + "\" is not 32 bytes");
  return *key;
}

}  // namespace

Result<NodeConfig> load_config(const NodeDir& dir) {
  const fs::path path = dir.config_path();
  auto text = read_small_file(path, "node.config_missing");
  if (!text) {
    return make_error(text.error().code,
                      text.error().message + " (is --dir a node directory made by weiquan init?)");
  }
  auto doc = parse_json(*text, path, "node.config_invalid");
  if (!doc) return doc.error();
  NodeConfig config;
  for (auto [name, field] : {std::pair{"node_id", &config.node_id},
                             {"region", &config.region},
                             {"anchor", &config.anchor_hex},
                             {"nats", &config.nats_url},
                             {"http", &config.http_listen}}) {
    auto value = string_member(*doc, name, path, "node.config_invalid");
    if (!value) return value.error();
    *field = std::move(*value);
  }
  auto level_text = string_member(*doc, "level", path, "node.config_invalid");
  if (!level_text) return level_text.error();
  auto level = crypto::parse_level(*level_text);
  if (!level)
    return make_error("node.config_invalid", path.string() + ": " + level.error().message);
  config.level = *level;
  return config;
}

Status save_config(const NodeDir& dir, const NodeConfig& config) {
  const json doc = {{"version", 1},
                    {"node_id", config.node_id},
                    {"level", std::string(crypto::level_name(config.level))},
                    {"region", config.region},
                    {"anchor", config.anchor_hex},
                    {"nats", config.nats_url},
                    {"http", config.http_listen}};
  return write_file_atomically(dir.config_path(), doc.dump(2) + "\n");
}

Result<CertificateRequest> load_request(const NodeDir& dir) {
  const fs::path path = dir.request_path();
  auto text = read_small_file(path, "node.request_invalid");
  if (!text) return text.error();
  auto doc = parse_json(*text, path, "node.request_invalid");
  if (!doc) return doc.error();
  CertificateRequest request;
  auto node_id = string_member(*doc, "node_id", path, "node.request_invalid");
  auto region = string_member(*doc, "region", path, "node.request_invalid");
  auto level_text = string_member(*doc, "level", path, "node.request_invalid");
  auto sign_key = key_member(*doc, "sign_key", path, "node.request_invalid");
  auto box_key = key_member(*doc, "box_key", path, "node.request_invalid");
  if (!node_id) return node_id.error();
  if (!region) return region.error();
  if (!level_text) return level_text.error();
  if (!sign_key) return sign_key.error();
  if (!box_key) return box_key.error();
  auto level = crypto::parse_level(*level_text);
  if (!level)
    return make_error("node.request_invalid", path.string() + ": " + level.error().message);
  request.node_id = std::move(*node_id);
  request.region = std::move(*region);
  request.level = *level;
  request.sign_key = *sign_key;
  request.box_key = *box_key;
  return request;
}

Status save_request(const NodeDir& dir, const CertificateRequest& request) {
  const json doc = {{"version", 1},
                    {"node_id", request.node_id},
                    {"level", std::string(crypto::level_name(request.level))},
                    {"region", request.region},
                    {"sign_key", crypto::to_hex(request.sign_key)},
                    {"box_key", crypto::to_hex(request.box_key)}};
  return write_file_atomically(dir.request_path(), doc.dump(2) + "\n");
}

Result<crypto::PublicKey> anchor_key(const NodeConfig& config) {
  if (!config.enrolled()) {
    return make_error("node.not_enrolled",
                      "node " + config.node_id + " has no trust anchor yet: run weiquan enroll");
  }
  auto bytes = crypto::from_hex(config.anchor_hex);
  if (!bytes) return make_error("node.config_invalid", "config.json: \"anchor\" is not hex");
  auto key = crypto::to_array<32>(*bytes);
  if (!key) return make_error("node.config_invalid", "config.json: \"anchor\" is not 32 bytes");
  return *key;
}

Result<sync::Store> open_store(const NodeDir& dir, const NodeConfig& config) {
  auto anchor = anchor_key(config);
  if (!anchor) return anchor.error();
  sync::StoreOptions options;
  options.path = dir.store_path();
  options.anchor_key = *anchor;
  return sync::Store::open(std::move(options));
}

Result<sync::StoreReader> open_store_reader(const NodeDir& dir) {
  if (!fs::exists(dir.store_path())) {
    return make_error("node.not_enrolled",
                      dir.store_path().string() + " does not exist: run weiquan enroll first");
  }
  return sync::StoreReader::open(dir.store_path());
}

}  // namespace wq::node

#include <sys/stat.h>

#include "region_names.h"
#include "weiquan/crypto/key_file.h"
#include "weiquan/crypto/random.h"
#include "weiquan/node/commands.h"
#include "weiquan/sync/certificate_codec.h"
#include "weiquan/sync/node_id.h"

namespace wq::node {

namespace {

// The national node's self-signed certificate is valid for 20 years; it is the trust anchor.
constexpr std::int64_t kAnchorValidityMs = 20LL * 365 * 24 * 3600 * 1000;
// Clock skew tolerated between nodes when a certificate starts.
constexpr std::int64_t kClockSkewMs = 10LL * 60 * 1000;

Result<std::string> node_id_for(const InitOptions& options) {
  if (options.replica == 0 || options.replica > 99) {
    return make_error("node.bad_region", "--replica must be between 1 and 99");
  }
  std::string node_id = options.region;
  if (options.replica > 1) node_id += "-" + std::to_string(options.replica);
  if (!sync::valid_node_id(node_id)) {
    return make_error("node.bad_region", "\"" + node_id + "\" is not a valid node id");
  }
  return node_id;
}

Status make_private_directory(const fs::path& root) {
  std::error_code ec;
  if (fs::exists(root / "config.json", ec) || fs::exists(root / "node.key", ec)) {
    return make_error("node.exists",
                      root.string() + " already holds a node; refusing to overwrite it");
  }
  fs::create_directories(root, ec);
  if (ec) return make_error("node.io", root.string() + ": " + ec.message());
  if (::chmod(root.c_str(), 0700) != 0) {
    return make_error("node.io", root.string() + ": cannot set mode 0700");
  }
  return {};
}

}  // namespace

Result<InitResult> init_node(const InitOptions& options) {
  auto region_name = describe_region(options.level, options.region);
  if (!region_name) return region_name.error();
  auto node_id = node_id_for(options);
  if (!node_id) return node_id.error();
  if (auto made = make_private_directory(options.dir.root); !made) return made.error();

  const crypto::NodeKeys keys = crypto::NodeKeys::generate();
  if (auto written = crypto::write_key_file(options.dir.key_path(), keys); !written) {
    return written.error();
  }
  const CertificateRequest request{*node_id, options.level, options.region, keys.sign.public_key,
                                   keys.box.public_key};
  if (auto saved = save_request(options.dir, request); !saved) return saved.error();

  NodeConfig config;
  config.node_id = *node_id;
  config.level = options.level;
  config.region = options.region;
  if (options.level == crypto::Level::national) {
    config.anchor_hex = crypto::to_hex(keys.sign.public_key);
    auto cert = sync::issue_anchor_certificate(keys, options.now_ms - kClockSkewMs,
                                               options.now_ms + kAnchorValidityMs,
                                               crypto::random_u64() >> 1);
    if (!cert) return cert.error();
    auto store = open_store(options.dir, config);
    if (!store) return store.error();
    if (auto added = store->add_certificate(*cert); !added) return added.error();
  }
  if (auto saved = save_config(options.dir, config); !saved) return saved.error();
  return InitResult{std::move(config), std::move(*region_name)};
}

}  // namespace wq::node

#include "weiquan/sync/export.h"

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "weiquan/crypto/bytes.h"

namespace wq::sync {
namespace {

using Json = nlohmann::ordered_json;

Error malformed(std::string_view why) {
  return make_error("sync.malformed", "export line: " + std::string(why));
}

Result<std::string> member_string(const Json& line, const char* key) {
  const auto it = line.find(key);
  if (it == line.end() || !it->is_string()) {
    return malformed(std::string("\"") + key + "\" must be a string");
  }
  return it->get<std::string>();
}

Result<crypto::Bytes> member_base64(const Json& line, const char* key) {
  auto text = member_string(line, key);
  if (!text) return text.error();
  auto bytes = crypto::from_base64(*text);
  if (!bytes) return malformed(std::string("\"") + key + "\" is not base64");
  return bytes;
}

// The members of a line of each type, in the order export_line writes them (protocol.md §6).
const std::vector<std::string>& member_names(RecordType type) {
  static const std::vector<std::string> event{"type",   "ticket", "seq",
                                              "signer", "body",   "signature"};
  static const std::vector<std::string> other{"type", "node", "issuer", "body", "signature"};
  return type == RecordType::event ? event : other;
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : ",") + name;
  return out;
}

Result<RecordType> parse_type(std::string_view name) {
  for (RecordType type : {RecordType::certificate, RecordType::revocation, RecordType::event}) {
    if (record_type_name(type) == name) return type;
  }
  return malformed("unknown type");
}

Result<Record> parse_record(const Json& line) {
  if (line.is_discarded() || !line.is_object()) return malformed("not a JSON object");
  auto type_name = member_string(line, "type");
  if (!type_name) return type_name.error();
  auto type = parse_type(*type_name);
  if (!type) return type.error();
  Record record;
  record.type = *type;
  const bool event = record.type == RecordType::event;
  auto signer = member_string(line, event ? "signer" : "issuer");
  if (!signer) return signer.error();
  record.signer = std::move(*signer);
  if (event) {
    auto ticket = member_string(line, "ticket");
    if (!ticket) return ticket.error();
    record.ticket_id = std::move(*ticket);
    const auto seq = line.find("seq");
    if (seq == line.end() || !seq->is_number_unsigned()) {
      return malformed("\"seq\" must be an unsigned integer");
    }
    record.seq = seq->get<std::uint64_t>();
  } else {
    auto node = member_string(line, "node");
    if (!node) return node.error();
    record.node_id = std::move(*node);
  }
  auto body = member_base64(line, "body");
  if (!body) return body.error();
  auto signature = member_base64(line, "signature");
  if (!signature) return signature.error();
  record.body = std::move(*body);
  record.signature = std::move(*signature);
  return record;
}

}  // namespace

std::string export_line(const Record& record) {
  Json line;
  line["type"] = record_type_name(record.type);
  if (record.type == RecordType::event) {
    line["ticket"] = record.ticket_id;
    line["seq"] = record.seq;
    line["signer"] = record.signer;
  } else {
    line["node"] = record.node_id;
    line["issuer"] = record.signer;
  }
  line["body"] = crypto::to_base64(record.body);
  line["signature"] = crypto::to_base64(record.signature);
  return line.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Result<Record> parse_export_line(std::string_view text) {
  if (text.size() > kMaxExportLineBytes) return malformed("longer than the limit");
  std::vector<std::string> names;  // of the top-level members, in order, repeats included
  const Json::parser_callback_t collect = [&](int depth, Json::parse_event_t event, Json& parsed) {
    if (depth == 1 && event == Json::parse_event_t::key && parsed.is_string()) {
      names.push_back(parsed.get<std::string>());
    }
    return true;
  };
  try {
    auto record = parse_record(Json::parse(text, collect, /*allow_exceptions=*/false));
    if (!record) return record;
    if (names != member_names(record->type)) {
      return malformed("members are not exactly, and in this order: " +
                       join(member_names(record->type)));
    }
    return record;
  } catch (const Json::exception& e) {
    return malformed(e.what());
  }
}

Status export_store(const StoreReader& reader, std::ostream& out) {
  return reader.scan([&](const Record& record) -> Status {
    out << export_line(record) << '\n';
    if (!out) return make_error("sync.io", "writing the export failed");
    return {};
  });
}

}  // namespace wq::sync

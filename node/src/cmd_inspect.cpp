#include "weiquan/node/commands.h"
#include "weiquan/sync/export.h"

namespace wq::node {

Status export_node(const NodeDir& dir, std::ostream& out) {
  auto reader = open_store_reader(dir);
  if (!reader) return reader.error();
  return sync::export_store(*reader, out);
}

Result<std::string> anchor_of(const NodeDir& dir) {
  auto config = load_config(dir);
  if (!config) return config.error();
  auto key = anchor_key(*config);
  if (!key) return key.error();
  return crypto::to_hex(*key);
}

Result<sync::VerifyReport> verify_node(const NodeDir& dir) {
  auto config = load_config(dir);
  if (!config) return config.error();
  auto key = anchor_key(*config);
  if (!key) return key.error();
  auto reader = open_store_reader(dir);
  if (!reader) return reader.error();
  return sync::verify_store(*reader, *key);
}

}  // namespace wq::node

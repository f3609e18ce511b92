// Key files: a node's secret keys on disk.
//
// Format (text, one field a line, see docs/protocol.md §Key files):
//   weiquan-node-key 1
//   sign-seed <64 hex>
//   box-secret <64 hex>
// write_key_file creates the file with mode 0600 (never wider, whatever the umask) and refuses to
// overwrite an existing file. read_key_file refuses a file that group or others can read or write
// ("crypto.key_file_permissions"), a malformed file ("crypto.key_file_malformed") and a missing one
// ("crypto.key_file_missing").
#pragma once

#include <filesystem>

#include "weiquan/crypto/keys.h"

namespace wq::crypto {

Status write_key_file(const std::filesystem::path& path, const NodeKeys& keys);
Result<NodeKeys> read_key_file(const std::filesystem::path& path);

}  // namespace wq::crypto

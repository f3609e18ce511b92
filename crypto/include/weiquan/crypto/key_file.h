// Key files: a node's secret keys on disk.
//
// Format (ASCII, exactly three lines, each ending in "\n"; see docs/protocol.md §Key files):
//   weiquan-node-key 1
//   sign-seed <64 hex>     the 32-byte Ed25519 seed
//   box-secret <64 hex>    the 32-byte X25519 secret key
// Public keys are derived from the secrets, never stored.
//
// write_key_file creates the file with mode 0600 (never wider, whatever the umask), syncs it and
// its directory to disk, and refuses to overwrite an existing file or follow a symlink.
// read_key_file refuses a file that group or others may access in any way, telling the operator to
// `chmod 600`. Every buffer that held secret text is wiped before returning.
//
// Thread safety: no shared state; concurrent calls on different paths are safe.
// Failure codes: crypto.key_file_exists, crypto.key_file_missing, crypto.key_file_permissions,
// crypto.key_file_malformed, crypto.key_file_io (any other system error, with its description).
#pragma once

#include <filesystem>

#include "weiquan/crypto/keys.h"

namespace wq::crypto {

Status write_key_file(const std::filesystem::path& path, const NodeKeys& keys);
Result<NodeKeys> read_key_file(const std::filesystem::path& path);

}  // namespace wq::crypto

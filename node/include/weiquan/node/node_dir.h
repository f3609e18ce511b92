// A node directory: everything one node keeps on disk.
//
//   config.json               node id, level, region, trust anchor, listen addresses (NodeConfig)
//   node.key                  the node's secret keys, mode 0600 (crypto/key_file.h)
//   certificate-request.json  the public half a parent needs to enrol this node
//   store.db                  the SQLite store (sync/store.h), created at enrolment
//   office.db                 accounts, sessions, business directory (office_db.h), on first use
//
// Thread safety: plain functions over the file system; callers serialise access to one directory.
// Failure codes: node.config_missing, node.config_invalid, node.not_enrolled, node.exists,
// node.io, node.request_invalid.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "weiquan/crypto/certificate.h"
#include "weiquan/crypto/keys.h"
#include "weiquan/result.h"
#include "weiquan/sync/store.h"

namespace wq::node {

namespace fs = std::filesystem;

inline constexpr std::size_t kMaxConfigBytes = 64 * 1024;

struct NodeConfig {
  std::string node_id;
  crypto::Level level = crypto::Level::national;
  std::string region;
  std::string anchor_hex;  // national trust anchor's public key; empty until enrolled
  std::string nats_url = "nats://127.0.0.1:4222";
  std::string http_listen = "127.0.0.1:8080";

  bool enrolled() const { return !anchor_hex.empty(); }
};

// The public half of a node, handed to its parent for enrolment.
struct CertificateRequest {
  std::string node_id;
  crypto::Level level = crypto::Level::national;
  std::string region;
  crypto::PublicKey sign_key{};
  crypto::PublicKey box_key{};
};

struct NodeDir {
  fs::path root;

  fs::path config_path() const { return root / "config.json"; }
  fs::path key_path() const { return root / "node.key"; }
  fs::path request_path() const { return root / "certificate-request.json"; }
  fs::path store_path() const { return root / "store.db"; }
  fs::path office_path() const { return root / "office.db"; }
};

Result<NodeConfig> load_config(const NodeDir& dir);
// Writes config.json atomically (temporary file, fsync, rename).
Status save_config(const NodeDir& dir, const NodeConfig& config);

Result<CertificateRequest> load_request(const NodeDir& dir);
Status save_request(const NodeDir& dir, const CertificateRequest& request);

Result<crypto::PublicKey> anchor_key(const NodeConfig& config);

// Opens the store of an enrolled node (creating the database on first use).
Result<sync::Store> open_store(const NodeDir& dir, const NodeConfig& config);
Result<sync::StoreReader> open_store_reader(const NodeDir& dir);

}  // namespace wq::node

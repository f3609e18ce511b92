// The operator commands of the `weiquan` binary, as functions (the CLI in cli.cpp only parses
// options and prints). Each returns a Result whose error code a person can act on.
//
// Thread safety: one command at a time per node directory.
// Failure codes: node.* (node_dir.h), node.bad_region, node.level_mismatch, node.not_parent,
// node.verify_failed, node.bad_listen_address, node.listen_failed, plus the sync.*, crypto.* and
// policies.* codes of what they call.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "weiquan/node/node_dir.h"
#include "weiquan/sync/verify.h"

namespace wq::node {

struct InitOptions {
  NodeDir dir;
  crypto::Level level = crypto::Level::county;
  std::string region;    // "cn" for the national node
  unsigned replica = 1;  // >1 gives node id "<region>-<replica>"
  std::int64_t now_ms = 0;
};

struct InitResult {
  NodeConfig config;
  std::string region_name;  // from the region table; "全国" for the national node
};

// Creates the directory (mode 0700), the key file and the certificate request. The national node
// also becomes its own trust anchor: its self-signed certificate goes into a new store.
Result<InitResult> init_node(const InitOptions& options);

struct EnrollResult {
  crypto::Certificate certificate;
  std::size_t chain_length = 0;  // certificates given to the child, anchor included
};

// The parent signs the child's certificate request and gives the child its chain of certificates
// and the trust anchor. The child must sit at a deeper level than the parent, inside its region
// (a level may be skipped where an office is not deployed).
Result<EnrollResult> enroll_node(const NodeDir& parent, const NodeDir& child, std::int64_t now_ms,
                                 std::int64_t validity_ms);

Status export_node(const NodeDir& dir, std::ostream& out);

// The national trust anchor's public key, in hex.
Result<std::string> anchor_of(const NodeDir& dir);

Result<sync::VerifyReport> verify_node(const NodeDir& dir);

struct RunOptions {
  NodeDir dir;
  std::string http_listen;  // HOST:PORT; empty: config.json "http". Port 0 picks a free port.
  std::size_t max_body_bytes = 1024 * 1024;
  std::size_t max_connections = 256;
  std::size_t max_evidence_bytes = 10 * 1024 * 1024;  // one evidence upload
  // NATS servers to federate over (nats://HOST:PORT, the first that answers is used); none: the
  // node serves alone and its outbox waits.
  std::vector<std::string> nats_urls;
  // Seconds between heartbeats to the parent office (with nats_urls); a descendant counts as live
  // when heard within three of them.
  unsigned heartbeat_s = 15;
  // Seconds between refreshes of the overdue and due-soon gauges of GET /metrics.
  unsigned alert_refresh_s = 30;
};

// Runs an enrolled node until SIGTERM or SIGINT: opens the store, serves the HTTP API (docs/api.md)
// and prints `listening on http://HOST:PORT` on standard output once it accepts connections. On a
// signal it stops accepting, answers the requests in flight (bounded wait), closes the store and
// returns. Failure codes: node.not_enrolled, node.bad_listen_address, node.listen_failed,
// node.internal, node.* of the node directory, sync.* of opening the store.
Status run_node(const RunOptions& options);

}  // namespace wq::node

// ApiContext: what the /api/v1/ handlers share — this node's identity and keys, the accounts and
// business directory of the office database, the writer thread, the node directory and the intake
// queue, the reader pool, the evidence files and the clock. Built once by `weiquan run`; every
// member outlives the server.
//
// Thread safety: the members are safe to use from any thread (each documents how).
#pragma once

#include <boost/asio/thread_pool.hpp>
#include <cstdint>
#include <functional>

#include "directory_snapshot.h"
#include "evidence_store.h"
#include "intake_queue.h"
#include "reader_pool.h"
#include "store_writer.h"
#include "weiquan/crypto/keys.h"
#include "weiquan/node/accounts.h"
#include "weiquan/node/business_directory.h"
#include "weiquan/node/duplicate_index.h"
#include "weiquan/node/node_dir.h"
#include "weiquan/policies/regions.h"

namespace wq::node::http {

struct ApiContext {
  const NodeConfig& config;
  const crypto::NodeKeys& keys;
  Accounts& accounts;
  BusinessDirectory& businesses;
  DuplicateIndex& duplicates;
  StoreWriter& writer;
  const DirectorySnapshot& directory;  // routing of new tickets
  IntakeQueue& intake;
  ReaderPool& readers;
  EvidenceStore& evidence;
  const policies::RegionTable& regions;
  boost::asio::thread_pool& password_pool;  // Argon2id hashing, off the I/O threads
  std::function<std::int64_t()> now_ms;
};

}  // namespace wq::node::http

#include "store_writer.h"

#include <spdlog/spdlog.h>

#include <cstdlib>

#include "weiquan/federation/interest.h"

namespace wq::node {

Result<std::unique_ptr<StoreWriter>> StoreWriter::open(sync::Store store,
                                                       const crypto::SigningKeyPair& key,
                                                       std::string node_id, std::int64_t now_ms) {
  auto owned = std::make_unique<sync::Store>(std::move(store));
  auto events = sync::EventWriter::create(*owned, key, node_id, now_ms);
  if (!events) return events.error();
  // Every event this node writes is owed to the nodes interested in its ticket (federation_link.h
  // delivers them); without a link they wait in the outbox.
  events->set_interest([&trust = owned->trust(), self = std::move(node_id)](
                           const sync::Ticket& after, const sync::SignedEvent& event) {
    return federation::interest_set(after, trust, self, event.body.time_ms());
  });
  return std::unique_ptr<StoreWriter>(new StoreWriter(std::move(owned), std::move(*events)));
}

StoreWriter::StoreWriter(std::unique_ptr<sync::Store> store, sync::EventWriter events)
    : busy_(boost::asio::make_work_guard(io_)),
      store_(std::move(store)),
      events_(std::move(events)),
      thread_([this] { run(); }) {}

StoreWriter::~StoreWriter() {
  close();
}

void StoreWriter::run() {
  try {
    io_.run();
  } catch (const std::exception& e) {
    // The store's state after a throw mid-write is unknown: stop the node rather than go on.
    spdlog::critical("writer thread stopped by an exception: {}", e.what());
    std::abort();
  }
}

void StoreWriter::close() {
  if (!thread_.joinable()) return;
  busy_.reset();
  thread_.join();
  events_.reset();
  store_.reset();
}

}  // namespace wq::node

// StoreWriter: the node's one sync::Store (the single SQLite writer) and the EventWriter that
// authors this node's events, owned by one thread of their own. Nothing touches them except work
// posted here, so writes are serialised without locks, never run on a thread that nats.c calls
// back on, and a batch's signing and fsync never hold up the I/O threads that parse requests.
// Readers use their own connections (reader_pool.h). The EventWriter owes every event it writes
// to the ticket's interest set (federation/interest.h), in the outbox.
//
// Threads: post() from any thread; the work runs on the writer thread, one item at a time, in
// order. close() after the I/O threads have stopped: it runs what is still queued, joins the
// thread and closes the database (every transaction is already committed).
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <memory>
#include <optional>
#include <thread>
#include <utility>

#include "weiquan/sync/event_writer.h"
#include "weiquan/sync/store.h"

namespace wq::node {

class StoreWriter {
 public:
  // `key` is this node's signing key; it must outlive the writer.
  static Result<std::unique_ptr<StoreWriter>> open(sync::Store store,
                                                   const crypto::SigningKeyPair& key,
                                                   std::string node_id, std::int64_t now_ms);
  ~StoreWriter();
  StoreWriter(const StoreWriter&) = delete;
  StoreWriter& operator=(const StoreWriter&) = delete;

  // Runs work(sync::Store&, sync::EventWriter&) on the writer thread. Work posted after close()
  // is dropped.
  template <class Work>
  void post(Work work) {
    boost::asio::post(io_, [this, work = std::move(work)]() mutable {
      if (store_) work(*store_, *events_);
    });
  }

  void close();

 private:
  StoreWriter(std::unique_ptr<sync::Store> store, sync::EventWriter events);
  void run();

  boost::asio::io_context io_{1};
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> busy_;
  std::unique_ptr<sync::Store> store_;
  std::optional<sync::EventWriter> events_;
  std::thread thread_;
};

}  // namespace wq::node

// StoreWriter: the node's one sync::Store (the single SQLite writer) and the EventWriter that
// authors this node's events, owned by one Asio strand. Nothing touches them except work posted
// here, so writes are serialised without locks and never run on a thread that nats.c or the HTTP
// layer calls back on. Readers use their own connections (reader_pool.h).
//
// Threads: post() from any thread; the work runs on the strand, one item at a time, and must not
// block on other work of the same io_context. close() only after the io_context has stopped and
// its threads have joined: it closes the database (every transaction is already committed).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <memory>
#include <optional>
#include <utility>

#include "weiquan/sync/event_writer.h"
#include "weiquan/sync/store.h"

namespace wq::node {

class StoreWriter {
 public:
  // `key` is this node's signing key; it must outlive the writer.
  static Result<std::unique_ptr<StoreWriter>> open(boost::asio::io_context& io, sync::Store store,
                                                   const crypto::SigningKeyPair& key,
                                                   std::string node_id, std::int64_t now_ms) {
    auto owned = std::make_unique<sync::Store>(std::move(store));
    auto writer = sync::EventWriter::create(*owned, key, std::move(node_id), now_ms);
    if (!writer) return writer.error();
    return std::unique_ptr<StoreWriter>(new StoreWriter(io, std::move(owned), std::move(*writer)));
  }

  // Runs work(sync::Store&, sync::EventWriter&) on the writer strand. Work posted after close() is
  // dropped.
  template <class Work>
  void post(Work work) {
    boost::asio::post(strand_, [this, work = std::move(work)]() mutable {
      if (store_) work(*store_, *events_);
    });
  }

  void close() {
    events_.reset();
    store_.reset();
  }

 private:
  StoreWriter(boost::asio::io_context& io, std::unique_ptr<sync::Store> store,
              sync::EventWriter events)
      : strand_(boost::asio::make_strand(io)),
        store_(std::move(store)),
        events_(std::move(events)) {}

  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  std::unique_ptr<sync::Store> store_;
  std::optional<sync::EventWriter> events_;
};

}  // namespace wq::node

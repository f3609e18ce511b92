// StoreWriter: the node's one sync::Store (the single SQLite writer), owned by one Asio strand.
// Nothing touches the Store except work posted here, so writes are serialised without locks and
// never run on a thread that nats.c or the HTTP layer calls back on. Readers open their own
// sync::StoreReader (open_store_reader in node_dir.h), one per thread.
//
// Threads: post() from any thread; the work runs on the strand, one item at a time, and must not
// block on other work of the same io_context. close() only after the io_context has stopped and
// its threads have joined: it closes the database (every transaction is already committed).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <optional>
#include <utility>

#include "weiquan/sync/store.h"

namespace wq::node {

class StoreWriter {
 public:
  StoreWriter(boost::asio::io_context& io, sync::Store store)
      : strand_(boost::asio::make_strand(io)), store_(std::move(store)) {}

  // Runs work(sync::Store&) on the writer strand. Work posted after close() is dropped.
  template <class Work>
  void post(Work work) {
    boost::asio::post(strand_, [this, work = std::move(work)]() mutable {
      if (store_) work(*store_);
    });
  }

  void close() { store_.reset(); }
  bool open() const { return store_.has_value(); }

 private:
  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  std::optional<sync::Store> store_;
};

}  // namespace wq::node

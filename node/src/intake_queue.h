// IntakeQueue: group commit for new tickets. HTTP handlers push validated submissions from any
// thread; the writer thread takes everything queued (up to a batch size) and writes it with ONE
// sync::EventWriter::intake_batch call, one transaction and one fsync. Then, off the writer thread,
// the batch's tickets go into the duplicate index (one more transaction, in the office database)
// and each submitter is answered with its receipt and the ticket's likely twins. While a batch is
// being made durable the next one gathers, so under load many submissions share a sync and every
// acknowledged submission is on disk.
//
// The queue is bounded: push() refuses when full and the caller answers 503 with Retry-After
// (back-pressure instead of unbounded memory).
//
// Threads: push() from any thread; `done` runs on an I/O thread and must not block.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "intake_metrics.h"
#include "store_writer.h"
#include "weiquan/node/duplicate_index.h"

namespace wq::node {

struct Filed {
  sync::Intake intake;
  std::vector<std::string> twins;  // likely duplicates filed before it
};

class IntakeQueue {
 public:
  using Done = std::function<void(Result<Filed>)>;

  IntakeQueue(StoreWriter& writer, DuplicateIndex& duplicates, IntakeMetrics& metrics,
              boost::asio::io_context& io, std::function<std::int64_t()> now_ms,
              std::size_t capacity = 8192, std::size_t max_batch = 512);

  // false when the queue is full (nothing queued, `done` not called).
  bool push(sync::NewTicket ticket, DuplicateKey key, Done done);

 private:
  struct Item {
    sync::NewTicket ticket;
    DuplicateKey key;
    Done done;
  };
  void drain(sync::EventWriter& events);
  void answer(std::vector<Item> batch, Result<std::vector<Result<sync::Intake>>> results);

  StoreWriter& writer_;
  DuplicateIndex& duplicates_;
  IntakeMetrics& metrics_;
  // Batches are indexed and answered in commit order, so a ticket's twins in the batch just
  // before it are already indexed.
  boost::asio::strand<boost::asio::io_context::executor_type> answers_;
  std::function<std::int64_t()> now_ms_;
  const std::size_t capacity_;
  const std::size_t max_batch_;
  std::mutex mutex_;
  std::vector<Item> pending_;
  bool scheduled_ = false;  // a drain is posted and has not yet emptied the queue
};

}  // namespace wq::node

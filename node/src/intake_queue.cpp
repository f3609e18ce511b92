#include "intake_queue.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <chrono>
#include <iterator>

namespace wq::node {

IntakeQueue::IntakeQueue(StoreWriter& writer, DuplicateIndex& duplicates, IntakeMetrics& metrics,
                         boost::asio::io_context& io, std::function<std::int64_t()> now_ms,
                         std::size_t capacity, std::size_t max_batch)
    : writer_(writer),
      duplicates_(duplicates),
      metrics_(metrics),
      answers_(boost::asio::make_strand(io)),
      now_ms_(std::move(now_ms)),
      capacity_(capacity),
      max_batch_(max_batch) {}

bool IntakeQueue::push(sync::NewTicket ticket, DuplicateKey key, Done done) {
  std::lock_guard lock(mutex_);
  if (pending_.size() >= capacity_) {
    metrics_.refused();
    return false;
  }
  pending_.push_back(Item{std::move(ticket), std::move(key), std::move(done)});
  metrics_.queued(pending_.size());
  if (!scheduled_) {
    scheduled_ = true;
    writer_.post([this](sync::Store&, sync::EventWriter& events) { drain(events); });
  }
  return true;
}

void IntakeQueue::drain(sync::EventWriter& events) {
  std::vector<Item> batch;
  {
    std::lock_guard lock(mutex_);
    const auto take = static_cast<std::ptrdiff_t>(std::min(pending_.size(), max_batch_));
    batch.assign(std::make_move_iterator(pending_.begin()),
                 std::make_move_iterator(pending_.begin() + take));
    pending_.erase(pending_.begin(), pending_.begin() + take);
    metrics_.queued(pending_.size());
  }
  std::vector<sync::NewTicket> tickets;
  tickets.reserve(batch.size());
  for (Item& item : batch) tickets.push_back(std::move(item.ticket));
  const auto started = std::chrono::steady_clock::now();
  auto results = events.intake_batch(tickets, now_ms_());
  metrics_.batch_written(
      tickets.size(),
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  boost::asio::post(answers_,
                    [this, batch = std::move(batch), results = std::move(results)]() mutable {
                      answer(std::move(batch), std::move(results));
                    });

  std::lock_guard lock(mutex_);
  if (pending_.empty()) {
    scheduled_ = false;
  } else {
    writer_.post([this](sync::Store&, sync::EventWriter& next) { drain(next); });
  }
}

void IntakeQueue::answer(std::vector<Item> batch,
                         Result<std::vector<Result<sync::Intake>>> results) {
  if (!results) {
    for (Item& item : batch) item.done(results.error());
    return;
  }
  std::vector<DuplicateIndex::Filing> filings;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if ((*results)[i]) {
      filings.push_back(
          {(*results)[i]->submission.receipt.body.ticket_id(), std::move(batch[i].key)});
    }
  }
  // The tickets are durable already; a failing index costs only the duplicate hints.
  auto twins = duplicates_.record(filings);
  if (!twins) spdlog::warn("duplicate index: {}: {}", twins.error().code, twins.error().message);
  std::size_t filed = 0;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    auto& result = (*results)[i];
    if (!result) {
      batch[i].done(result.error());
      continue;
    }
    Filed answer{std::move(*result), {}};
    if (twins) answer.twins = std::move((*twins)[filed]);
    ++filed;
    batch[i].done(std::move(answer));
  }
}

}  // namespace wq::node

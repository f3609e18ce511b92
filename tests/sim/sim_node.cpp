#include "sim_node.h"

#include <algorithm>
#include <utility>

#include "event_drafts.h"
#include "weiquan/federation/interest.h"

namespace wq::sim {

void add_counters(sync::ReplicationCounters& to, const sync::ReplicationCounters& c) {
  to.batches_sent += c.batches_sent;
  to.batches_acked += c.batches_acked;
  to.batches_failed += c.batches_failed;
  to.bad_acks += c.bad_acks;
  to.events_sent += c.events_sent;
  to.equivocation_alerts += c.equivocation_alerts;
  to.batches_received += c.batches_received;
  to.applied += c.applied;
  to.duplicates += c.duplicates;
  to.rejected += c.rejected;
  to.gaps += c.gaps;
  to.quarantined += c.quarantined;
  to.dropped_malformed += c.dropped_malformed;
  to.dropped_bad_signature += c.dropped_bad_signature;
  to.dropped_wrong_destination += c.dropped_wrong_destination;
  to.dropped_replayed += c.dropped_replayed;
  to.dropped_unknown_signer += c.dropped_unknown_signer;
  to.store_errors += c.store_errors;
}

SimNode::SimNode(const Tree& tree, std::size_t index, std::filesystem::path database,
                 sync::MemoryNetwork& network, Knobs knobs, std::uint64_t jitter_seed,
                 std::function<void()> on_work)
    : tree_(tree),
      index_(index),
      database_(std::move(database)),
      network_(network),
      knobs_(knobs),
      jitter_seed_(jitter_seed),
      on_work_(std::move(on_work)) {}

SimNode::~SimNode() {
  crash();
}

const std::string& SimNode::id() const {
  return tree_.node(index_).id;
}

Status SimNode::start() {
  sync::StoreOptions options;
  options.path = database_;
  options.anchor_key = tree_.anchor();
  options.now_ms = [&network = network_] { return network.now_ms(); };
  auto opened = sync::Store::open(std::move(options));
  if (!opened) return opened.error();
  store_.emplace(std::move(*opened));
  if (known_.empty()) {
    if (Status ok = learn(index_); !ok) return ok;
  }

  const TreeNode& self = tree_.node(index_);
  auto writer = sync::EventWriter::create(*store_, self.keys.sign, self.id, network_.now_ms());
  if (!writer) return writer.error();
  writer_.emplace(std::move(*writer));
  writer_->set_interest([&trust = store_->trust(), id = self.id](const sync::Ticket& after,
                                                                 const sync::SignedEvent& event) {
    return federation::interest_set(after, trust, id, event.body.time_ms());
  });

  transport_ = network_.attach(self.id);
  sync::ReplicatorOptions replicator;
  replicator.self = self.id;
  replicator.key = &self.keys.sign;
  replicator.max_batch_events = knobs_.max_batch_events;
  replicator.request_timeout = knobs_.request_timeout;
  replicator.min_backoff = knobs_.min_backoff;
  replicator.max_backoff = knobs_.max_backoff;
  replicator.jitter_seed = jitter_seed_++;
  replicator.now_ms = [&network = network_] { return network.now_ms(); };
  replicator_ = std::make_unique<sync::Replicator>(*store_, *transport_, std::move(replicator),
                                                   [this](std::function<void()> work) {
                                                     on_work_();
                                                     work();
                                                   });
  return replicator_->start();
}

void SimNode::crash() {
  if (replicator_) add_counters(retired_, replicator_->counters());
  replicator_.reset();
  transport_.reset();
  writer_.reset();
  store_.reset();
}

Status SimNode::learn(std::size_t other) {
  std::vector<std::size_t> chain = tree_.chain(other);
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    if (known_.contains(*it)) continue;
    if (Status ok = store_->add_certificate(tree_.node(*it).cert); !ok) return ok;
    known_.insert(*it);
  }
  return {};
}

std::optional<std::int64_t> SimNode::tick() {
  replicator_->tick();
  std::optional<std::int64_t> next;
  for (const sync::PeerStatus& peer : replicator_->peers()) {
    if (!peer.in_flight && peer.backlog == 0) continue;
    next = std::min(next.value_or(kNever), peer.in_flight ? kNever : peer.next_attempt_ms);
  }
  return next;
}

std::uint64_t SimNode::backlog() const {
  std::uint64_t rows = 0;
  if (!replicator_) return rows;
  for (const sync::PeerStatus& peer : replicator_->peers()) rows += peer.backlog;
  return rows;
}

sync::ReplicationCounters SimNode::counters() const {
  sync::ReplicationCounters total = retired_;
  if (replicator_) add_counters(total, replicator_->counters());
  return total;
}

Result<SimNode::TakeIn> SimNode::take_in(std::int64_t now_ms) {
  sync::TicketQuery sent_here;
  sent_here.state = "in_transit";
  sent_here.holder = id();
  sent_here.limit = kTakeInPerTick;
  auto tickets = store_->reader().tickets(sent_here);
  if (!tickets) return tickets.error();
  TakeIn out;
  out.more = tickets->size() == kTakeInPerTick;
  for (const sync::Ticket& ticket : *tickets) {
    auto written = writer_->append(ticket.id, testing::received(), now_ms);
    if (written) {
      out.written.push_back(std::move(*written));
    } else {
      out.failed.push_back(make_error(written.error().code,
                                      "receiving " + ticket.id + ": " + written.error().message));
    }
  }
  return out;
}

}  // namespace wq::sim

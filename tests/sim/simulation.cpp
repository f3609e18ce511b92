#include "simulation.h"

#include <algorithm>
#include <cstdio>
#include <utility>

#include "event_drafts.h"
#include "sim_random.h"
#include "weiquan/federation/directory.h"

namespace wq::sim {
namespace {

// A node that is down when the workload wants it to act acts this much later.
constexpr std::int64_t kRetryMs = 250;
// Problems kept in full; later ones are only counted.
constexpr std::size_t kProblemsKept = 50;

// Independent random streams of one run.
enum Stream : std::uint64_t { kWorkload = 1, kFaults = 2, kJitter = 3 };

}  // namespace

Simulation::Simulation(const Tree& tree, SimOptions options, std::filesystem::path dir)
    : tree_(tree),
      options_(options),
      dir_(std::move(dir)),
      network_(options.seed, kStartMs),
      ledger_(tree),
      isolation_(tree.size(), 0) {}

Simulation::~Simulation() = default;

Status Simulation::setup() {
  Rng workload(options_.seed, kWorkload);
  WorkloadShape shape;
  shape.tickets = options_.tickets;
  shape.start_ms = kStartMs;
  shape.duration_ms = options_.workload_ms;
  plans_ = plan_workload(tree_, shape, workload);
  Rng faults(options_.seed, kFaults);
  const std::int64_t end_ms = kStartMs + options_.workload_ms;
  faults_ = plan_faults(tree_, options_.faults, kStartMs, end_ms, faults);
  network_.set_default_faults(faults_.links);

  for (std::size_t i = 0; i < tree_.size(); ++i) {
    nodes_.push_back(std::make_unique<SimNode>(
        tree_, i, dir_ / (tree_.node(i).id + ".db"), network_, faults_.knobs,
        mix(options_.seed ^ (kJitter << 32) ^ i) | 1, [this, i] { wake(i); }));
    if (Status ok = nodes_.back()->start(); !ok) {
      return make_error(ok.error().code, tree_.node(i).id + ": " + ok.error().message);
    }
  }
  for (std::size_t i = 1; i < tree_.size(); ++i) {
    if (Status ok = nodes_.front()->learn(i); !ok) return ok;
  }

  for (std::size_t p = 0; p < plans_.size(); ++p) {
    agenda_.at(plans_[p].at_ms, [this, p] { file(p); });
  }
  for (const Outage& outage : faults_.partitions) {
    agenda_.at(outage.from_ms, [this, outage] { begin_partition(outage); });
    agenda_.at(outage.until_ms, [this, outage] { end_partition(outage); });
  }
  for (const Outage& outage : faults_.crashes) {
    agenda_.at(outage.from_ms, [this, outage] { crash(outage); });
  }
  return {};
}

bool Simulation::run() {
  const std::int64_t end_of_workload = kStartMs + options_.workload_ms;
  const std::int64_t limit = end_of_workload + options_.quiescence_limit_ms;
  std::size_t steps = 0;
  while (true) {
    const std::int64_t now = network_.now_ms();
    agenda_.run_due(now);
    take_ins();
    ticks();
    if (now >= end_of_workload && quiet()) {
      // Deliver what is still on the wire (late duplicates and their replies), then look again.
      network_.run_until_idle(limit);
      take_ins();
      ticks();
      if (quiet()) return true;
      continue;
    }
    if (now >= limit) return false;
    std::int64_t next = now + options_.step_ms;
    if (active_.empty() && touched_.empty()) {
      // Nothing in flight and nobody owes anything: skip to the next action.
      const std::int64_t target = agenda_.empty() ? end_of_workload : agenda_.next_ms();
      next = std::max(next, std::min(target, limit));
    }
    network_.run_until(next);
    if (options_.progress_every != 0 && ++steps % options_.progress_every == 0) progress();
  }
}

void Simulation::file(std::size_t p) {
  const TicketPlan& plan = plans_[p];
  SimNode& node = *nodes_[plan.intake];
  const std::int64_t now = network_.now_ms();
  if (!node.up()) return agenda_.at(now + kRetryMs, [this, p] { file(p); });
  const std::string& region = tree_.node(plan.county).id;
  // Point to point, as node/src/intake.cpp does: the deepest office whose region contains the
  // business's, by this node's directory.
  auto competent = federation::Directory(node.store().trust()).jurisdiction_for(region, now);
  if (!competent) {
    return problem(node.id() + " finds no office for " + region + ": " + competent.error().code);
  }
  if (*competent != region) {
    return problem(node.id() + " routes a ticket for " + region + " to " + *competent);
  }
  if (Status ok = node.learn(plan.county); !ok) return problem(ok.error().message);
  sync::NewTicket ticket{
      testing::complaint(region, now),
      *competent,
      {testing::routed(*competent, region, *competent + " has jurisdiction over " + region)}};
  const bool here = plan.intake == plan.county;
  if (here) ticket.then.push_back(testing::received());
  auto written = node.writer().intake_batch(std::vector<sync::NewTicket>{std::move(ticket)}, now);
  if (!written) return problem(node.id() + " cannot file: " + written.error().message);
  auto& intake = written->front();
  if (!intake) return problem(node.id() + " cannot file: " + intake.error().message);
  ++filed_;
  activate(plan.intake);
  TicketLog* log = record(intake->submission.event, p);
  for (const sync::SignedEvent& event : intake->then) {
    if (log != nullptr) log = record(event);
  }
  if (log != nullptr && here) follow_up(*log);
}

void Simulation::follow_up(const TicketLog& log) {
  const std::vector<Step>& steps = plans_[log.plan].steps;
  if (log.steps_done >= steps.size()) return;
  agenda_.at(network_.now_ms() + steps[log.steps_done].delay_ms,
             [this, id = log.id] { perform(id); });
}

void Simulation::perform(const std::string& ticket_id) {
  TicketLog& log = *ledger_.find(ticket_id);
  const Step& step = plans_[log.plan].steps[log.steps_done];
  SimNode& node = *nodes_[log.holders.back()];
  const std::int64_t now = network_.now_ms();
  if (!node.up()) return agenda_.at(now + kRetryMs, [this, ticket_id] { perform(ticket_id); });
  weiquan::v1::EventBody body;
  switch (step.kind) {
    case StepKind::transfer:
      if (Status ok = node.learn(step.to); !ok) return problem(ok.error().message);
      body = testing::transferred(weiquan::v1::TRANSFER_DIRECTION_PARALLEL, tree_.node(step.to).id);
      break;
    case StepKind::accept:
      body = testing::accepted();
      break;
    case StepKind::close:
      body = testing::closed(129900);
      break;
  }
  auto written = node.writer().append(ticket_id, std::move(body), now);
  if (!written) {
    return problem(node.id() + " cannot act on " + ticket_id + ": " + written.error().code + ": " +
                   written.error().message);
  }
  activate(node.index());
  if (record(*written) == nullptr) return;
  ++log.steps_done;
  // A transfer goes on when the receiver takes the ticket in.
  if (step.kind != StepKind::transfer) follow_up(log);
}

void Simulation::take_ins() {
  std::set<std::size_t> touched;
  touched.swap(touched_);
  for (std::size_t i : touched) {
    SimNode& node = *nodes_[i];
    if (!node.up()) continue;  // it takes in when it restarts
    auto taken = node.take_in(network_.now_ms());
    if (!taken) {
      problem(node.id() + " cannot list the tickets sent to it: " + taken.error().message);
      continue;
    }
    for (const Error& failed : taken->failed) problem(node.id() + ": " + failed.message);
    for (const sync::SignedEvent& event : taken->written) {
      activate(i);
      if (TicketLog* log = record(event)) follow_up(*log);
    }
    if (taken->more) touched_.insert(i);
  }
}

void Simulation::ticks() {
  const std::int64_t now = network_.now_ms();
  for (auto it = active_.begin(); it != active_.end();) {
    SimNode& node = *nodes_[it->first];
    if (!node.up() || now < it->second) {
      ++it;
      continue;
    }
    const std::optional<std::int64_t> next = node.tick();
    if (next) {
      it->second = *next;
      ++it;
    } else {
      it = active_.erase(it);
    }
  }
}

void Simulation::wake(std::size_t node) {
  touched_.insert(node);
  if (const auto it = active_.find(node); it != active_.end()) it->second = 0;
}

std::pair<std::size_t, std::size_t> Simulation::partitioned(std::size_t root) const {
  return {root, root == 0 ? 1 : tree_.node(root).subtree_end};
}

void Simulation::begin_partition(const Outage& outage) {
  ++partitions_begun_;
  const auto [first, last] = partitioned(outage.node);
  for (std::size_t i = first; i < last; ++i) {
    if (isolation_[i]++ == 0) network_.isolate(tree_.node(i).id);
  }
}

void Simulation::end_partition(const Outage& outage) {
  const auto [first, last] = partitioned(outage.node);
  for (std::size_t i = first; i < last; ++i) {
    if (--isolation_[i] == 0) network_.rejoin(tree_.node(i).id);
  }
}

void Simulation::crash(const Outage& outage) {
  SimNode& node = *nodes_[outage.node];
  if (!node.up()) return;  // crashed already; it restarts as planned then
  ++crashes_;
  node.crash();
  agenda_.at(outage.until_ms, [this, i = outage.node] { restart(i); });
}

void Simulation::restart(std::size_t i) {
  if (Status ok = nodes_[i]->start(); !ok) {
    return problem(tree_.node(i).id + " does not restart: " + ok.error().code + ": " +
                   ok.error().message);
  }
  activate(i);
  touched_.insert(i);
}

TicketLog* Simulation::record(const sync::SignedEvent& event, std::size_t plan) {
  auto log = ledger_.record(event, plan);
  if (!log) {
    problem(log.error().code + ": " + log.error().message);
    return nullptr;
  }
  return *log;
}

void Simulation::problem(std::string what) {
  if (problems_.size() < kProblemsKept) {
    problems_.push_back(std::move(what));
  } else if (problems_.size() == kProblemsKept) {
    problems_.push_back("(more problems not shown)");
  }
}

bool Simulation::quiet() const {
  return agenda_.empty() && active_.empty() && touched_.empty();
}

SimTotals Simulation::totals() const {
  SimTotals totals;
  for (const auto& node : nodes_) {
    add_counters(totals.replication, node->counters());
    totals.backlog += node->backlog();
    totals.down += node->up() ? 0 : 1;
  }
  totals.network = network_.stats();
  totals.active = active_.size();
  totals.isolated = static_cast<std::size_t>(
      std::count_if(isolation_.begin(), isolation_.end(), [](unsigned n) { return n > 0; }));
  totals.partitions = partitions_begun_;
  totals.crashes = crashes_;
  return totals;
}

std::int64_t Simulation::elapsed_ms() const {
  return network_.now_ms() - kStartMs;
}

void Simulation::progress() const {
  const SimTotals t = totals();
  std::printf(
      "[sim] +%7.1f s  tickets %zu/%zu  events %llu  applied %llu  backlog %llu  active %zu  "
      "down %zu  isolated %zu\n",
      static_cast<double>(elapsed_ms()) / 1000.0, filed_, plans_.size(),
      static_cast<unsigned long long>(ledger_.events()),
      static_cast<unsigned long long>(t.replication.applied),
      static_cast<unsigned long long>(t.backlog), t.active, t.down, t.isolated);
  std::fflush(stdout);
}

}  // namespace wq::sim

// weiquan_sim: runs the real sync and federation code for the national tree (or the first
// provinces of it) in one process over an in-memory network with seeded faults, then checks the
// invariants (tests/sim/invariants.h). Exit code 0 when they hold, 1 when not, 2 for bad usage.
// Databases go to a temporary directory under $TMPDIR (tmpfs, e.g. /dev/shm, spares the fsyncs).
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <string>

#include "invariants.h"
#include "simulation.h"
#include "temp_dir.h"
#include "tree.h"

namespace {

using wq::sim::SimOptions;

constexpr int kExitViolated = 1;
constexpr int kExitUsage = 2;

std::string seconds(std::int64_t ms) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", static_cast<double>(ms) / 1000.0);
  return text;
}

// Every option that shapes the run.
std::string rerun_command(const SimOptions& o) {
  return "weiquan_sim --seed " + std::to_string(o.seed) + " --provinces " +
         std::to_string(o.provinces) + " --tickets " + std::to_string(o.tickets) + " --faults " +
         (o.faults ? "on" : "off") + " --workload-s " + seconds(o.workload_ms) + " --step-ms " +
         std::to_string(o.step_ms) + " --limit-s " + seconds(o.quiescence_limit_ms);
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

long peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024;
}

unsigned long long u(std::uint64_t n) {
  return static_cast<unsigned long long>(n);
}

void print_summary(const wq::sim::Tree& tree, const wq::sim::Simulation& sim, double wall_s) {
  const wq::sim::SimTotals t = sim.totals();
  const wq::sync::ReplicationCounters& r = t.replication;
  const wq::sync::NetworkStats& n = t.network;
  std::printf("[sim] nodes %zu (1 national, %zu provinces, %zu cities, %zu counties)\n",
              tree.size(), tree.count(wq::crypto::Level::province),
              tree.count(wq::crypto::Level::city), tree.count(wq::crypto::Level::county));
  std::printf("[sim] tickets %zu, events authored %llu, applied by replication %llu\n",
              sim.ledger().tickets().size(), u(sim.ledger().events()), u(r.applied));
  std::printf(
      "[sim] batches %llu sent, %llu acked, %llu failed; events sent %llu; receivers: %llu "
      "duplicates, %llu gaps, %llu rejected, %llu replayed envelopes dropped\n",
      u(r.batches_sent), u(r.batches_acked), u(r.batches_failed), u(r.events_sent), u(r.duplicates),
      u(r.gaps), u(r.rejected), u(r.dropped_replayed));
  std::printf(
      "[sim] messages %llu requests, %llu delivered, %llu replies; %llu lost, %llu duplicated, "
      "%llu timeouts, %llu unreachable\n",
      u(n.requests), u(n.delivered), u(n.replies), u(n.lost), u(n.duplicated), u(n.timeouts),
      u(n.unreachable));
  std::printf("[sim] faults: %zu partitions, %zu crashes; virtual time %.1f s\n", t.partitions,
              t.crashes, static_cast<double>(sim.elapsed_ms()) / 1000.0);
  std::printf("[sim] wall time %.1f s, peak RSS %ld MiB, run digest %s\n", wall_s, peak_rss_mib(),
              sim.ledger().digest().substr(0, 16).c_str());
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"weiquan_sim: the federation simulator (many nodes, one process, seeded faults)"};
  SimOptions o;
  std::string faults = "on";
  double workload_s = 60;
  double limit_s = 1800;
  app.add_option("--seed", o.seed, "Seed of the run: the same seed gives the same run");
  app.add_option("--provinces", o.provinces,
                 "Only the first K provinces (in code order) with their cities and counties; "
                 "0: all 31");
  app.add_option("--tickets", o.tickets, "Tickets filed during the workload");
  app.add_option("--faults", faults, "Drops, duplicates, delays, partitions and crashes")
      ->check(CLI::IsMember({"on", "off"}));
  app.add_option("--workload-s", workload_s, "Virtual seconds the filings are spread over")
      ->check(CLI::PositiveNumber);
  app.add_option("--step-ms", o.step_ms, "Virtual milliseconds per step")
      ->check(CLI::Range(1, 10'000));
  app.add_option("--limit-s", limit_s, "Virtual seconds after the workload to become quiescent")
      ->check(CLI::PositiveNumber);
  app.add_option("--progress-every", o.progress_every, "Steps between progress lines; 0: none");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : kExitUsage;
  }
  o.faults = faults == "on";
  o.workload_ms = static_cast<std::int64_t>(workload_s * 1000);
  o.quiescence_limit_ms = static_cast<std::int64_t>(limit_s * 1000);

  const auto wall = std::chrono::steady_clock::now();
  std::printf("[sim] seed %llu: %s\n", u(o.seed), rerun_command(o).c_str());
  auto tree = wq::sim::Tree::build(o.seed, o.provinces);
  if (!tree) {
    std::fprintf(stderr, "[sim] %s: %s\n", tree.error().code.c_str(), tree.error().message.c_str());
    return kExitUsage;
  }
  wq::testing::TempDir dir;
  wq::sim::Simulation sim(*tree, o, dir.path());
  if (wq::Status ok = sim.setup(); !ok) {
    std::fprintf(stderr, "[sim] setup failed: %s: %s\n", ok.error().code.c_str(),
                 ok.error().message.c_str());
    return kExitViolated;
  }
  const wq::sim::FaultPlan& f = sim.faults();
  std::printf(
      "[sim] %zu nodes ready in %.1f s (databases in %s); links: drop %.3f, duplicate %.3f, "
      "delay %lld-%lld ms; %zu partitions, %zu crashes planned; batches of %zu, timeout %lld ms, "
      "backoff %lld-%lld ms\n",
      tree->size(), seconds_since(wall), dir.path().c_str(), f.links.drop, f.links.duplicate,
      static_cast<long long>(f.links.min_delay_ms), static_cast<long long>(f.links.max_delay_ms),
      f.partitions.size(), f.crashes.size(), f.knobs.max_batch_events,
      static_cast<long long>(f.knobs.request_timeout.count()),
      static_cast<long long>(f.knobs.min_backoff.count()),
      static_cast<long long>(f.knobs.max_backoff.count()));
  std::fflush(stdout);

  const bool quiescent = sim.run();
  std::vector<std::string> violations;
  if (!quiescent) {
    violations.push_back("quiescence: still busy " + std::to_string(o.quiescence_limit_ms / 1000) +
                         " virtual seconds after the workload");
  }
  for (const std::string& problem : sim.problems()) violations.push_back("run: " + problem);
  for (std::string& line : wq::sim::check_invariants(*tree, sim)) {
    violations.push_back(std::move(line));
  }
  print_summary(*tree, sim, seconds_since(wall));
  if (!violations.empty()) {
    for (const std::string& line : violations) std::printf("[sim] VIOLATED %s\n", line.c_str());
    std::printf("[sim] invariants violated; rerun with: %s\n", rerun_command(o).c_str());
    return kExitViolated;
  }
  std::printf("[sim] invariants hold\n");
  return 0;
}

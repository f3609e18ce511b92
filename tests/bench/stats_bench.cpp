// A subtree statistics query against a full scan of the same store, measured in the same run.
//
// Builds a store through the Store API (EventWriter::intake_batch and append_batch, so every ticket
// is signed, chained, checked and counted as in a node): `tickets` tickets spread evenly over every
// county of the built-in region table (2,978) and the 365 days of 2025; complaints 40%, inquiries
// 30%, reports 20%, suggestions 10%; 20 categories and 200 businesses per county, both Zipf
// (s = 1); channels web 45%, app 20%, WeChat 15%, hotline 15%; accepted, refused and closed ones
// among them. The database lives on tmpfs (/dev/shm) when
// there is one, like the simulator's, so fsyncs do not dominate the build.
//
// Then, for a city over one month, a province over a year and the whole country over a year:
//   (q) StoreReader::stats grouped by child region — the counters;
//   (s) a full scan of the tickets table computing the same totals from the ticket columns.
// Each is run `repeats` times and its median reported, with the ratio q/s; the two totals must
// agree measure by measure (exit 1 otherwise).
//
// Usage: weiquan_stats_bench [tickets] [repeats] [keep]   (defaults 1,000,000 and 5; "keep" leaves
// the store in place for inspection)
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "measure.h"
#include "must.h"
#include "node_certificates.h"
#include "weiquan/policies/regions.h"
#include "weiquan/sync/event_writer.h"
#include "weiquan/sync/sqlite.h"
#include "weiquan/sync/stats.h"
#include "weiquan/sync/store.h"
#include "weiquan/sync/ticket_id.h"

namespace {

using Clock = std::chrono::steady_clock;
using namespace wq;
using testing::must;
using testing::seconds_since;

constexpr std::int64_t kDayMs = 86'400'000;
constexpr std::int64_t kYearStart = 1'735'660'800'000;    // 2025-01-01 00:00 CST
constexpr std::int64_t kNow = kYearStart + 400 * kDayMs;  // 2026-02-05: every ticket received
constexpr int kDays = 365;
constexpr std::size_t kCategories = 20;
constexpr std::size_t kBusinessesPerCounty = 200;

std::filesystem::path bench_dir() {
  const std::filesystem::path base =
      std::filesystem::exists("/dev/shm") ? "/dev/shm" : std::filesystem::temp_directory_path();
  std::string pattern = (base / "weiquan-stats-bench-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) std::exit(1);
  return pattern;
}

std::uint64_t mix(std::uint64_t x) {  // splitmix64: a fixed, spread-out sequence
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

const weiquan::v1::TicketType kTypes[] = {
    weiquan::v1::TICKET_TYPE_COMPLAINT, weiquan::v1::TICKET_TYPE_COMPLAINT,
    weiquan::v1::TICKET_TYPE_COMPLAINT, weiquan::v1::TICKET_TYPE_COMPLAINT,
    weiquan::v1::TICKET_TYPE_INQUIRY,   weiquan::v1::TICKET_TYPE_INQUIRY,
    weiquan::v1::TICKET_TYPE_INQUIRY,   weiquan::v1::TICKET_TYPE_REPORT,
    weiquan::v1::TICKET_TYPE_REPORT,    weiquan::v1::TICKET_TYPE_SUGGESTION};

// Index 0..n-1 with probability proportional to 1/(i+1) (Zipf, s = 1), from a uniform `u` in [0,
// 1).
std::size_t zipf(double u, std::size_t n) {
  double total = 0;
  for (std::size_t i = 0; i < n; ++i) total += 1.0 / static_cast<double>(i + 1);
  double seen = 0;
  for (std::size_t i = 0; i < n; ++i) {
    seen += 1.0 / static_cast<double>(i + 1) / total;
    if (u < seen) return i;
  }
  return n - 1;
}

double uniform(std::uint64_t r) {
  return static_cast<double>(r % 1'000'000) / 1'000'000.0;
}

// Web 45%, app 20%, WeChat 15%, hotline 15%, letter, visit and 12345 the rest.
weiquan::v1::Channel channel_of(std::uint64_t r) {
  const std::uint64_t p = r % 100;
  if (p < 45) return weiquan::v1::CHANNEL_WEB;
  if (p < 65) return weiquan::v1::CHANNEL_APP;
  if (p < 80) return weiquan::v1::CHANNEL_WECHAT;
  if (p < 95) return weiquan::v1::CHANNEL_HOTLINE;
  return static_cast<weiquan::v1::Channel>(5 + p % 3);
}

weiquan::v1::EventBody draft(weiquan::v1::Role role) {
  weiquan::v1::EventBody body;
  body.mutable_actor()->set_role(role);
  body.mutable_actor()->set_id(role == weiquan::v1::ROLE_SYSTEM ? "" : "officer-1");
  return body;
}

// Ticket `n` received at `county`: its type, category, channel and receipt day follow from n.
sync::NewTicket new_ticket(std::uint64_t n, const std::string& county) {
  const std::uint64_t r = mix(n);
  auto body = draft(weiquan::v1::ROLE_CONSUMER);
  body.mutable_actor()->set_id("c-" + std::to_string(r % 100'000));
  auto& submitted = *body.mutable_submitted();
  submitted.set_type(kTypes[r % 10]);
  submitted.set_channel(channel_of(r >> 8));
  submitted.set_received_at_ms(kYearStart + static_cast<std::int64_t>((r >> 16) % kDays) * kDayMs +
                               9 * 3'600'000);
  submitted.set_jurisdiction_region(county);
  const std::size_t business = zipf(uniform(r >> 24), kBusinessesPerCounty);
  submitted.mutable_business()->set_name("商户" + county + "-" + std::to_string(business));
  submitted.mutable_business()->set_uscc("91" + county + std::to_string(1'000'000'000 + business));
  submitted.set_category("类别" + std::to_string(zipf(uniform(r >> 40), kCategories)));
  submitted.set_description("商品质量问题");
  submitted.set_consent_disclosure((r >> 50) % 2 == 0);
  auto routed = draft(weiquan::v1::ROLE_SYSTEM);
  routed.mutable_routed()->set_to_node(county);
  routed.mutable_routed()->set_region(county);
  auto received = draft(weiquan::v1::ROLE_SYSTEM);
  received.mutable_received();
  return {std::move(body), county, {std::move(routed), std::move(received)}};
}

// The steps a ticket takes after receipt: complaints are accepted, refused or left; accepted ones
// mostly closed with an amount; inquiries and half the reports closed.
std::vector<weiquan::v1::EventBody> later_steps(std::uint64_t n) {
  const std::uint64_t r = mix(n);
  const auto type = kTypes[r % 10];
  const std::uint64_t fate = (r >> 52) % 10;
  std::vector<weiquan::v1::EventBody> steps;
  auto closed = [&](std::int64_t fen) {
    auto body = draft(weiquan::v1::ROLE_OFFICER);
    body.mutable_closed()->set_result("agreement");
    body.mutable_closed()->set_amount_recovered_fen(fen);
    return body;
  };
  if (type == weiquan::v1::TICKET_TYPE_COMPLAINT) {
    if (fate < 6) {
      auto accepted = draft(weiquan::v1::ROLE_OFFICER);
      accepted.mutable_accepted();
      steps.push_back(accepted);
      if (fate < 4) steps.push_back(closed(static_cast<std::int64_t>(r % 100'000)));
    } else if (fate < 7) {
      auto refused = draft(weiquan::v1::ROLE_OFFICER);
      refused.mutable_refused()->set_ground("order20.art15.1");
      steps.push_back(refused);
    }
  } else if (type == weiquan::v1::TICKET_TYPE_INQUIRY ||
             (type == weiquan::v1::TICKET_TYPE_REPORT && fate < 5)) {
    steps.push_back(closed(0));
  }
  return steps;
}

struct Built {
  std::filesystem::path dir;
  std::size_t tickets = 0;
  double seconds = 0;
};

Built build(std::size_t tickets) {
  Built out;
  out.dir = bench_dir();
  const auto& regions = policies::RegionTable::builtin();
  std::vector<std::string> counties;
  for (const auto& province : regions.children("cn")) {
    for (const auto& city : regions.children(province.code)) {
      for (const auto& county : regions.children(city.code)) counties.emplace_back(county.code);
    }
  }
  const auto national = crypto::NodeKeys::generate();
  const auto office =
      crypto::NodeKeys::generate();  // one key for every county: signing is not measured
  sync::StoreOptions options;
  options.path = out.dir / "store.db";
  options.anchor_key = national.sign.public_key;
  options.now_ms = [] { return kNow; };
  sync::Store store = must(sync::Store::open(options), "open store");
  must(store.add_certificate(must(testing::anchor_certificate(national), "anchor")), "add anchor");
  for (const std::string& county : counties) {
    must(store.add_certificate(must(
             testing::node_certificate(county, crypto::Level::county, office, "cn", national.sign),
             "issue")),
         "add county");
  }
  std::fprintf(stderr, "%zu county certificates; filing %zu tickets\n", counties.size(), tickets);
  const auto start = Clock::now();
  const std::size_t per_county = (tickets + counties.size() - 1) / counties.size();
  std::size_t filed = 0;
  std::size_t next_report = 50'000;
  for (std::size_t c = 0; c < counties.size() && filed < tickets; ++c) {
    auto writer = must(sync::EventWriter::create(store, office.sign, counties[c], kNow), "writer");
    const std::size_t count = std::min(per_county, tickets - filed);
    std::vector<sync::NewTicket> batch;
    for (std::size_t i = 0; i < count; ++i) batch.push_back(new_ticket(filed + i, counties[c]));
    auto intakes = must(writer.intake_batch(batch, kNow), "intake");
    std::vector<sync::Draft> drafts;
    for (std::size_t i = 0; i < count; ++i) {
      const std::string id = must(std::move(intakes[i]), "ticket").submission.event.ticket_id();
      for (auto& step : later_steps(filed + i)) drafts.push_back({id, std::move(step)});
    }
    for (auto& result : must(writer.append_batch(drafts, kNow), "steps")) must(result, "step");
    filed += count;
    if (filed >= next_report) {
      std::fprintf(stderr, "%zu tickets, %.0f s, %.0f tickets/s\n", filed, seconds_since(start),
                   filed / seconds_since(start));
      next_report += 50'000;
    }
  }
  out.tickets = filed;
  out.seconds = seconds_since(start);
  return out;
}

// The China midnight starting day YYYYMMDD, as Unix milliseconds.
std::int64_t day_start(std::uint32_t yyyymmdd) {
  using namespace std::chrono;
  const year_month_day date{year{static_cast<int>(yyyymmdd / 10000)}, month{(yyyymmdd / 100) % 100},
                            day{yyyymmdd % 100}};
  return duration_cast<milliseconds>(sys_days(date).time_since_epoch()).count() - 8 * 3'600'000;
}

// The totals of a query computed from every row of the tickets table, as the counters define them
// (sync/src/stats_cells.cpp).
sync::StatsMeasures scan(sync::sql::Db& db, const sync::StatsQuery& query) {
  auto stmt = must(
      db.prepare(
          "SELECT count(*), sum(type = 'complaint' AND accepted_at_ms != 0), "
          "sum(state = 'refused'), sum(state = 'merged'), sum(closed AND state != 'merged'), "
          "sum(closed AND state != 'merged' AND closed_on_time), sum(first_reply_ms != 0), "
          "sum(first_reply_ms != 0 AND first_reply_on_time), "
          "sum(type = 'complaint' AND converted_to_case), sum(dispatch_count >= 1), "
          "sum(dispatch_count >= 2), sum(satisfaction != 0), sum(satisfaction IN (1, 2)), "
          "sum(amount_recovered_fen), sum(type = 'complaint' AND enterprise_handled), "
          "sum(type = 'complaint' AND enterprise_handled AND self_settled), sum(mediation != 0), "
          "sum(mediation = 2) FROM tickets WHERE received_at_ms >= ?1 AND received_at_ms < ?2 "
          "AND (?3 = 'cn' OR substr(holder, 1, length(?3)) = ?3)"),
      "scan");
  stmt.bind(1, day_start(query.from_day))
      .bind(2, day_start(query.to_day) + kDayMs)
      .bind(3, query.region);
  sync::StatsMeasures out;
  if (must(stmt.step(), "scan row")) {
    for (std::size_t i = 0; i < sync::kMeasureCount; ++i) {
      out.values[i] = stmt.int64(static_cast<int>(i));
    }
  }
  return out;
}

template <class F>
double median_ms(int repeats, F&& run) {
  std::vector<double> times;
  for (int i = 0; i < repeats; ++i) {
    const auto start = Clock::now();
    run();
    times.push_back(seconds_since(start) * 1000);
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return one + " " + five + " " + fifteen;
}

}  // namespace

int main(int argc, char** argv) try {
  const std::size_t tickets = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1'000'000;
  const int repeats = argc > 2 ? std::max(1, std::atoi(argv[2])) : 5;
  if (tickets == 0) return 2;
  std::printf("load average before: %s\n", load_average().c_str());
  const Built built = build(tickets);
  std::printf("built %zu tickets in %.0f s (%.0f tickets/s) at %s\n", built.tickets, built.seconds,
              built.tickets / built.seconds, built.dir.c_str());

  auto reader = must(sync::StoreReader::open(built.dir / "store.db"), "reader");
  auto db =
      must(sync::sql::Db::open(built.dir / "store.db", sync::sql::Db::Mode::read_only, 5000), "db");
  struct Case {
    const char* name;
    sync::StatsQuery query;
  };
  const auto query = [](std::string region, std::uint32_t from, std::uint32_t to) {
    sync::StatsQuery q;
    q.region = std::move(region);
    q.from_day = from;
    q.to_day = to;
    q.by = sync::StatsGrouping::child_region;
    q.now_ms = kNow;
    return q;
  };
  const Case cases[] = {
      {"city 4403, March 2025", query("4403", 20250301, 20250331)},
      {"province 44, 2025", query("44", 20250101, 20251231)},
      {"national, 2025", query("cn", 20250101, 20251231)},
  };
  bool agree = true;
  std::printf(
      "\n| query | tickets counted | groups | query ms (median of %d) | scan ms | query/scan |\n",
      repeats);
  std::printf("|---|---|---|---|---|---|\n");
  for (const Case& c : cases) {
    sync::StatsTable table;
    const double query_ms =
        median_ms(repeats, [&] { table = must(reader.stats(c.query), c.name); });
    sync::StatsMeasures scanned;
    const double scan_ms = median_ms(repeats, [&] { scanned = scan(db, c.query); });
    if (!(scanned == table.totals)) {
      agree = false;
      for (std::size_t i = 0; i < sync::kMeasureCount; ++i) {
        if (scanned.values[i] != table.totals.values[i]) {
          std::fprintf(stderr, "%s: %s is %lld by the counters, %lld by the scan\n", c.name,
                       std::string(sync::kMeasureNames[i]).c_str(),
                       static_cast<long long>(table.totals.values[i]),
                       static_cast<long long>(scanned.values[i]));
        }
      }
    }
    std::printf("| %s | %lld | %zu | %.2f | %.1f | %.4f |\n", c.name,
                static_cast<long long>(table.totals[sync::Measure::tickets]), table.groups.size(),
                query_ms, scan_ms, query_ms / scan_ms);
  }
  std::printf("\nload average after: %s\n", load_average().c_str());
  std::printf(agree ? "the counters and the scan agree on every measure\n"
                    : "MISMATCH between the counters and the scan\n");
  if (argc > 3 && std::string(argv[3]) == "keep") {
    std::printf("the store stays at %s\n", built.dir.c_str());
  } else {
    std::error_code ignored;
    std::filesystem::remove_all(built.dir, ignored);
  }
  return agree ? 0 : 1;
} catch (const std::exception& failure) {  // a failed step (must) or set-up
  std::fprintf(stderr, "%s\n", failure.what());
  return 1;
}

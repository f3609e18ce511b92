#include "stats_request.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <utility>

#include "weiquan/sync/ticket_id.h"

namespace wq::node::http {
namespace {

using namespace std::chrono;

constexpr int kDefaultDays = 30;

constexpr std::array<std::pair<std::string_view, sync::StatsGrouping>, 6> kGroupings = {{
    {"none", sync::StatsGrouping::none},
    {"region", sync::StatsGrouping::child_region},
    {"category", sync::StatsGrouping::category},
    {"channel", sync::StatsGrouping::channel},
    {"type", sync::StatsGrouping::type},
    {"business", sync::StatsGrouping::business},
}};

Error bad(const std::string& message) {
  return make_error("node.bad_query", message);
}

std::uint32_t yyyymmdd(sys_days d) {
  const year_month_day date{d};
  return static_cast<std::uint32_t>(static_cast<int>(date.year())) * 10000 +
         static_cast<unsigned>(date.month()) * 100 + static_cast<unsigned>(date.day());
}

// A date written YYYY-MM-DD that exists.
Result<sys_days> parse_date(std::string_view name, std::string_view text) {
  const auto digits = [&](std::size_t at, std::size_t n) {
    int value = 0;
    for (std::size_t i = at; i < at + n; ++i) {
      if (text[i] < '0' || text[i] > '9') return -1;
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  if (text.size() == 10 && text[4] == '-' && text[7] == '-') {
    const int y = digits(0, 4);
    const int m = digits(5, 2);
    const int d = digits(8, 2);
    const year_month_day date{year{y}, month{static_cast<unsigned>(m)},
                              day{static_cast<unsigned>(d)}};
    if (y > 0 && m > 0 && d > 0 && date.ok()) return sys_days(date);
  }
  return bad(std::string(name) + ": a date YYYY-MM-DD");
}

Status parse_region(const QueryParams& params, const NodeConfig& config,
                    const policies::RegionTable& regions, std::string& region) {
  const auto it = params.find("region");
  region = it == params.end() ? config.region : it->second;
  if (region != policies::kNationalRegion && !regions.find(region)) {
    return bad("region: a GB/T 2260 region code or cn");
  }
  if (!regions.contains(config.region, region)) {
    return make_error("node.outside_subtree",
                      "region " + region + " is outside this node's region " + config.region);
  }
  return {};
}

}  // namespace

Result<StatsRequest> parse_stats_request(const QueryParams& params, const NodeConfig& config,
                                         const policies::RegionTable& regions,
                                         std::int64_t now_ms) {
  for (const auto& [name, value] : params) {
    if (name != "region" && name != "from" && name != "to" && name != "by" && name != "format") {
      return bad("unknown query parameter " + name.substr(0, 40) +
                 " (region, from, to, by, format)");
    }
  }
  StatsRequest request;
  if (Status ok = parse_region(params, config, regions, request.query.region); !ok) {
    return ok.error();
  }
  const std::uint32_t today = sync::china_date(now_ms);
  sys_days to = sys_days(year_month_day{year{static_cast<int>(today / 10000)},
                                        month{(today / 100) % 100}, day{today % 100}});
  if (auto it = params.find("to"); it != params.end()) {
    auto parsed = parse_date("to", it->second);
    if (!parsed) return parsed.error();
    to = *parsed;
  }
  sys_days from = to - days{kDefaultDays - 1};
  if (auto it = params.find("from"); it != params.end()) {
    auto parsed = parse_date("from", it->second);
    if (!parsed) return parsed.error();
    from = *parsed;
  }
  if (to < from) return bad("to must not be before from");
  if ((to - from).count() + 1 > static_cast<int>(sync::kMaxStatsDays)) {
    return bad("from and to span at most " + std::to_string(sync::kMaxStatsDays) + " days");
  }
  request.query.from_day = yyyymmdd(from);
  request.query.to_day = yyyymmdd(to);
  if (auto it = params.find("by"); it != params.end()) {
    const auto found = std::find_if(kGroupings.begin(), kGroupings.end(),
                                    [&](const auto& g) { return g.first == it->second; });
    if (found == kGroupings.end()) {
      return bad("by: none, region, category, channel, type or business");
    }
    request.by = std::string(found->first);
    request.query.by = found->second;
  }
  if (auto it = params.find("format"); it != params.end()) {
    if (it->second != "json" && it->second != "csv") return bad("format: json or csv");
    request.csv = it->second == "csv";
  }
  request.query.now_ms = now_ms;
  return request;
}

}  // namespace wq::node::http

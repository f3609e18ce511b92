// The periods of period reports (protocol.md §16): a calendar month or a single day in China time,
// as inclusive YYYYMMDD bounds; which months are finished at a time; and the `period` parameter of
// the report routes.
//
// Thread safety: pure functions. Failure codes: node.bad_query (a period that is not YYYY-MM or
// YYYY-MM-DD naming a real month or day).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "weiquan/result.h"

namespace wq::node {

struct ReportPeriod {
  std::uint32_t from_day = 0;  // YYYYMMDD, inclusive
  std::uint32_t to_day = 0;

  bool operator==(const ReportPeriod&) const = default;
};

// How many finished months a node reports (the current one is not finished).
inline constexpr std::size_t kReportedMonths = 13;

// The `count` calendar months (China time) that ended last before `now_ms`, newest first.
std::vector<ReportPeriod> finished_months(std::int64_t now_ms, std::size_t count = kReportedMonths);

// "2025-03" (that month) or "2025-03-03" (that day).
Result<ReportPeriod> parse_report_period(std::string_view text);

// "2025-03" for a whole month, "2025-03-03" for one day, "20250301-20250315" otherwise.
std::string period_name(const ReportPeriod& period);

}  // namespace wq::node

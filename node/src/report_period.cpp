#include "report_period.h"

#include <chrono>
#include <cstdio>

#include "weiquan/sync/ticket_id.h"

namespace wq::node {
namespace {

using namespace std::chrono;

std::uint32_t yyyymmdd(const year_month_day& date) {
  return static_cast<std::uint32_t>(static_cast<int>(date.year())) * 10000 +
         static_cast<unsigned>(date.month()) * 100 + static_cast<unsigned>(date.day());
}

ReportPeriod month_of(year_month ym) {
  return {yyyymmdd(ym / day{1}), yyyymmdd(ym / last)};
}

Error bad_period() {
  return make_error("node.bad_query", "period: a month YYYY-MM or a day YYYY-MM-DD");
}

}  // namespace

std::vector<ReportPeriod> finished_months(std::int64_t now_ms, std::size_t count) {
  const std::uint32_t today = sync::china_date(now_ms);
  year_month month{year{static_cast<int>(today / 10000)}, std::chrono::month{(today / 100) % 100}};
  std::vector<ReportPeriod> out;
  for (std::size_t i = 0; i < count; ++i) {
    month -= months{1};
    out.push_back(month_of(month));
  }
  return out;
}

Result<ReportPeriod> parse_report_period(std::string_view text) {
  if (text.size() != 7 && text.size() != 10) return bad_period();
  int value[3] = {0, 0, 0};
  const std::size_t fields = text.size() == 7 ? 2 : 3;
  const std::size_t widths[3] = {4, 2, 2};
  std::size_t at = 0;
  for (std::size_t f = 0; f < fields; ++f) {
    if (f > 0 && text[at++] != '-') return bad_period();
    for (std::size_t i = 0; i < widths[f]; ++i, ++at) {
      if (text[at] < '0' || text[at] > '9') return bad_period();
      value[f] = value[f] * 10 + (text[at] - '0');
    }
  }
  const year_month ym{year{value[0]}, month{static_cast<unsigned>(value[1])}};
  if (value[0] < 1 || !ym.ok()) return bad_period();
  if (fields == 2) return month_of(ym);
  const year_month_day date = ym / day{static_cast<unsigned>(value[2])};
  if (!date.ok()) return bad_period();
  return ReportPeriod{yyyymmdd(date), yyyymmdd(date)};
}

std::string period_name(const ReportPeriod& p) {
  char text[32];
  const unsigned y = p.from_day / 10000;
  const unsigned m = (p.from_day / 100) % 100;
  const year_month ym{year{static_cast<int>(y)}, month{m}};
  if (p.from_day == p.to_day) {
    std::snprintf(text, sizeof text, "%04u-%02u-%02u", y, m, p.from_day % 100);
  } else if (ym.ok() && month_of(ym) == p) {
    std::snprintf(text, sizeof text, "%04u-%02u", y, m);
  } else {
    std::snprintf(text, sizeof text, "%u-%u", p.from_day, p.to_day);
  }
  return text;
}

}  // namespace wq::node

#include "weiquan/policies/deadlines.h"

#include <algorithm>
#include <string>

namespace wq::policies {

namespace {

constexpr CivilDate kFirstSupportedDate{2000, 1, 1};
constexpr CivilDate kLastSupportedDate{2199, 12, 31};

std::int64_t max_amount(PeriodUnit unit) {
  switch (unit) {
    case PeriodUnit::working_days:
    case PeriodUnit::days:
      return 3660;
    case PeriodUnit::hours:
      return 87'840;
    case PeriodUnit::years:
      return 10;
  }
  return 0;
}

// Answers "is the clock running at t?" for instants asked in ascending order.
class RunningClock {
 public:
  explicit RunningClock(std::span<const Pause> pauses) : pauses_(pauses) {}

  bool running_at(std::int64_t t) {
    while (next_ < pauses_.size() && pauses_[next_].to_ms <= t) ++next_;
    return next_ == pauses_.size() || t < pauses_[next_].from_ms;
  }

 private:
  std::span<const Pause> pauses_;
  std::size_t next_ = 0;
};

// Working-day lookups that remember whether any day consulted lay outside the calendar.
class WorkingDays {
 public:
  explicit WorkingDays(const Calendar& calendar) : calendar_(calendar) {}

  bool working(DayNumber day) {
    if (!calendar_.covers(day)) provisional_ = true;
    return calendar_.is_working_day(day);
  }
  bool provisional() const { return provisional_; }

 private:
  const Calendar& calendar_;
  bool provisional_ = false;
};

Deadline working_days_due(const Calendar& calendar, DayNumber start_day, std::int64_t amount,
                          std::span<const Pause> pauses) {
  WorkingDays days(calendar);
  RunningClock clock(pauses);
  DayNumber day = start_day;
  for (std::int64_t counted = 0; counted < amount;) {
    ++day;
    if (days.working(day) && clock.running_at(cst_day_end_ms(day))) ++counted;
  }
  return Deadline{cst_day_end_ms(day), days.provisional()};
}

Deadline calendar_days_due(const Calendar& calendar, DayNumber start_day, std::int64_t amount,
                           std::span<const Pause> pauses) {
  RunningClock clock(pauses);
  DayNumber day = start_day;
  for (std::int64_t counted = 0; counted < amount;) {
    ++day;
    if (clock.running_at(cst_day_end_ms(day))) ++counted;
  }
  WorkingDays days(calendar);
  while (!days.working(day)) ++day;
  return Deadline{cst_day_end_ms(day), days.provisional()};
}

// The corresponding day `years` later, or the last day of that month (Civil Code Art. 202).
DayNumber add_years(DayNumber day, std::int64_t years) {
  CivilDate date = civil_date(day);
  date.year += static_cast<int>(years);
  while (!is_valid(date)) --date.day;
  return day_number(date);
}

Deadline hours_due(std::int64_t start_ms, std::int64_t amount, std::span<const Pause> pauses) {
  std::int64_t due = start_ms + amount * kMsPerHour;
  for (const Pause& pause : pauses) {
    if (pause.from_ms >= due) break;
    if (pause.to_ms <= start_ms) continue;
    due += pause.to_ms - std::max(pause.from_ms, start_ms);
  }
  return Deadline{due, false};
}

Status check_pauses(std::span<const Pause> pauses) {
  for (std::size_t i = 0; i < pauses.size(); ++i) {
    if (auto from = check_time(pauses[i].from_ms); !from) return from;
    if (auto to = check_time(pauses[i].to_ms); !to) return to;
    if (pauses[i].to_ms < pauses[i].from_ms) {
      return make_error("policies.bad_pause",
                        "pause " + std::to_string(i) + " ends before it starts");
    }
    if (i > 0 && pauses[i].from_ms < pauses[i - 1].to_ms) {
      return make_error("policies.bad_pause",
                        "pause " + std::to_string(i) + " overlaps or precedes the one before it");
    }
  }
  return {};
}

}  // namespace

std::string_view unit_name(PeriodUnit unit) {
  switch (unit) {
    case PeriodUnit::working_days:
      return "working_days";
    case PeriodUnit::days:
      return "days";
    case PeriodUnit::hours:
      return "hours";
    case PeriodUnit::years:
      return "years";
  }
  return "";
}

Result<PeriodUnit> parse_unit(std::string_view name) {
  for (PeriodUnit unit :
       {PeriodUnit::working_days, PeriodUnit::days, PeriodUnit::hours, PeriodUnit::years}) {
    if (unit_name(unit) == name) return unit;
  }
  return make_error("policies.bad_unit", "unknown period unit \"" + std::string(name) + "\"");
}

Status check_time(std::int64_t unix_ms) {
  static const std::int64_t first = cst_day_start_ms(day_number(kFirstSupportedDate));
  static const std::int64_t last = cst_day_end_ms(day_number(kLastSupportedDate));
  if (unix_ms < first || unix_ms > last) {
    return make_error("policies.bad_time", "instant " + std::to_string(unix_ms) +
                                               " ms lies outside 2000-01-01 .. 2199-12-31 CST");
  }
  return {};
}

Status check_period(Period period) {
  if (period.amount < 1 || period.amount > max_amount(period.unit)) {
    return make_error("policies.bad_period", "a period of " + std::to_string(period.amount) + " " +
                                                 std::string(unit_name(period.unit)) +
                                                 " is out of range (1.." +
                                                 std::to_string(max_amount(period.unit)) + ")");
  }
  return {};
}

Result<Deadline> compute_due(const Calendar& calendar, std::int64_t start_ms, Period period,
                             std::span<const Pause> pauses) {
  if (auto start = check_time(start_ms); !start) return start.error();
  if (auto checked = check_period(period); !checked) return checked.error();
  if (auto checked = check_pauses(pauses); !checked) return checked.error();

  const DayNumber start_day = cst_day(start_ms);
  switch (period.unit) {
    case PeriodUnit::working_days:
      return working_days_due(calendar, start_day, period.amount, pauses);
    case PeriodUnit::days:
      return calendar_days_due(calendar, start_day, period.amount, pauses);
    case PeriodUnit::years:
      return calendar_days_due(calendar, start_day, add_years(start_day, period.amount) - start_day,
                               pauses);
    case PeriodUnit::hours:
      return hours_due(start_ms, period.amount, pauses);
  }
  return make_error("policies.bad_unit", "unknown period unit");
}

}  // namespace wq::policies

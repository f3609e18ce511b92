// The deadline engine: when a time limit that starts at a given instant runs out.
//
// Counting follows the Civil Code (民法典 Art. 201-203) and the working-day rule of the complaint
// rules; every due time is an instant in Unix milliseconds, every day a China Standard Time day:
//  - working_days: the day the period starts on is not counted; only working days count; the period
//    ends at the end of its last working day, 23:59:59.999 CST (Civil Code Art. 203: the last day
//    ends at 24:00).
//  - days: the period ends at the end of day N after its start; when that day is not a working day
//    it ends at the end of the next working day (Art. 203).
//  - years: the period ends on the corresponding day N years later, or on the last day of that
//  month
//    when there is no corresponding day (Art. 202), then as for days.
//  - hours: plain elapsed time, N hours after the start instant (Art. 201, second paragraph).
// Pauses (the clock stopped while testing, inspection or appraisal runs) do not count: a day counts
// only when the clock is running at its end, and for hours the paused time is added. An extension
// is part of the period's amount (see ClockBook).
//
// Working days come from the Calendar. Where a computation consults a day the calendar does not
// cover (in practice: a year whose holidays are not yet published), weekends-only is assumed and
// the result is flagged provisional; recompute it once the calendar has that year.
//
// Thread safety: pure functions. Failure codes: policies.bad_period (amount out of range),
// policies.bad_time (an instant outside 2000-01-01 .. 2199-12-31), policies.bad_pause (a pause
// that ends before it starts, or pauses out of order or overlapping), policies.bad_unit.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "weiquan/policies/calendar.h"
#include "weiquan/result.h"

namespace wq::policies {

enum class PeriodUnit { working_days, days, hours, years };

std::string_view unit_name(PeriodUnit unit);
Result<PeriodUnit> parse_unit(std::string_view name);

struct Period {
  std::int64_t amount = 0;  // at least 1
  PeriodUnit unit = PeriodUnit::working_days;
};

// [from_ms, to_ms): the clock did not run.
struct Pause {
  std::int64_t from_ms = 0;
  std::int64_t to_ms = 0;
};

struct Deadline {
  std::int64_t due_ms = 0;   // the last millisecond still in time
  bool provisional = false;  // the calendar did not cover every day consulted
};

// Checks that an instant lies in the range the engine accepts (policies.bad_time).
Status check_time(std::int64_t unix_ms);
// Checks that a period's amount lies in 1 .. ten years' worth of its unit (policies.bad_period).
Status check_period(Period period);

// `pauses` in ascending order, not overlapping; pauses before `start_ms` are ignored.
Result<Deadline> compute_due(const Calendar& calendar, std::int64_t start_ms, Period period,
                             std::span<const Pause> pauses = {});

}  // namespace wq::policies

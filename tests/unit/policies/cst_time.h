// Instants for the policies tests, written as China Standard Time wall-clock times.
#pragma once

#include <cstdint>

#include "weiquan/policies/calendar.h"

namespace wq::policies::testing {

inline std::int64_t cst(int year, int month, int day, int hour = 0, int minute = 0) {
  return cst_day_start_ms(day_number({year, month, day})) + hour * kMsPerHour + minute * 60'000;
}

// 23:59:59.999 CST of that day: the due time of a limit that ends on it.
inline std::int64_t end_of_day(int year, int month, int day) {
  return cst_day_end_ms(day_number({year, month, day}));
}

}  // namespace wq::policies::testing

// Shared by the statistics tests of sync/: a store with a mixed workload, and its counter cells
// read straight from the table.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "sync_fixture.h"
#include "weiquan/sync/stats.h"

namespace wq::sync::test {

inline constexpr std::uint32_t kDay0 = 20250303;  // the China date of kT0
inline constexpr char kUscc[] = "91440300MA5XXXXXX1";

// Every stored cell as "region|type|state" -> its measures (the day and channel are those of the
// fixture's tickets), read with a connection of its own, so no query code is involved.
std::map<std::string, StatsMeasures> cells(Scenario& s);
std::int64_t measure(Scenario& s, const std::string& key, Measure which);

// Seven tickets filed at the province, of every type, through every kind of step: settled by the
// business's ODR account, closed with money back and rated; refused; transferred to the other
// county and converted to a case; a report passed to the station; an inquiry answered by the
// province; a suggestion; a complaint left accepted. Besides, a batch item the lifecycle refuses
// and an intake item refused after its `submitted` applied, which change nothing.
void mixed_workload(Scenario& s);

// A query of one region over kDay0, 30 days after kT0.
StatsQuery day_query(const std::string& region, StatsGrouping by = StatsGrouping::none);

}  // namespace wq::sync::test

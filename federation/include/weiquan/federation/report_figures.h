// The figures a period report states (protocol.md §16), read from a store: the summed measures of
// the tickets received in the period and held in the region's subtree (sync::StoreReader::stats,
// grouped by nothing), how many tickets that is and the hash of their ids. The reporting node
// reads them to sign, its parent reads its own to check.
//
// Thread safety: uses `reader` on the caller's thread; read on the writer thread (Store::reader())
// so that the counters and the ticket ids come from the same commit.
// Failure codes: sync.bad_stats_query (days not dates, out of order, over sync::kMaxStatsDays),
// sync.db.
#pragma once

#include <cstdint>
#include <string>

#include "weiquan/crypto/bytes.h"
#include "weiquan/result.h"
#include "weiquan/sync/stats.h"
#include "weiquan/sync/store.h"
#include "weiquan/v1/weiquan.pb.h"

namespace wq::federation {

struct PeriodFigures {
  sync::StatsMeasures measures;
  std::uint64_t tickets_counted = 0;  // ticket ids hashed
  crypto::Hash ids_hash{};
};

Result<PeriodFigures> period_figures(const sync::StoreReader& reader, const std::string& region,
                                     std::uint32_t from_day, std::uint32_t to_day);

// The figures a report body states (decode_report has checked its form).
PeriodFigures figures_of(const weiquan::v1::PeriodReportBody& body);

// Fills the figures into a report body.
void set_figures(weiquan::v1::PeriodReportBody& body, const PeriodFigures& figures);

}  // namespace wq::federation

#include "weiquan/federation/report_figures.h"

#include <algorithm>

#include "weiquan/federation/report_codec.h"

namespace wq::federation {

Result<PeriodFigures> period_figures(const sync::StoreReader& reader, const std::string& region,
                                     std::uint32_t from_day, std::uint32_t to_day) {
  sync::StatsQuery query;
  query.region = region;
  query.from_day = from_day;
  query.to_day = to_day;
  query.top = 0;
  auto table = reader.stats(query);
  if (!table) return table.error();
  auto ids = reader.counted_ticket_ids(query);
  if (!ids) return ids.error();
  PeriodFigures figures;
  figures.measures = table->totals;
  figures.tickets_counted = ids->size();
  figures.ids_hash = ticket_ids_hash(*ids);
  return figures;
}

PeriodFigures figures_of(const weiquan::v1::PeriodReportBody& body) {
  PeriodFigures figures;
  const auto count = std::min<std::size_t>(sync::kMeasureCount, body.measures_size());
  for (std::size_t i = 0; i < count; ++i) {
    figures.measures.values[i] = body.measures(static_cast<int>(i));
  }
  figures.tickets_counted = body.tickets_counted();
  std::copy_n(body.ids_hash().begin(), std::min(body.ids_hash().size(), figures.ids_hash.size()),
              figures.ids_hash.begin());
  return figures;
}

void set_figures(weiquan::v1::PeriodReportBody& body, const PeriodFigures& figures) {
  body.clear_measures();
  for (std::int64_t value : figures.measures.values) body.add_measures(value);
  body.set_tickets_counted(figures.tickets_counted);
  body.set_ids_hash(figures.ids_hash.data(), figures.ids_hash.size());
}

}  // namespace wq::federation

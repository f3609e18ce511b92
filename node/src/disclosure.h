// Public disclosure (DESIGN §6, docs/kpi.md "Public disclosure"): per business of a region's
// subtree over a range of days, what the platform publishes — how many of its tickets were closed
// with the consumer's consent to disclosure (同意公示), its mediation success rate and its
// settlement rate — computed from the business counter cells (sync::StoreReader::stats by
// business), never from tickets: no personal data, no ticket ids.
//
// A business is listed only when at least one closed ticket about it may be disclosed, and both
// rates are computed from those tickets alone (the business table's disclosable_* measures).
//
// DisclosureCache keeps the computed list of a (region, from, to) for kDisclosureTtlMs, at most
// kDisclosureEntries lists, and computes one list at a time without waiting for another: a request
// that would need a second computation at once gets the list held for its key even if older, or
// node.overloaded when there is none. Whatever anonymous callers ask, the store sees at most one
// statistics query at a time and one per key and TTL, and no HTTP thread waits for another's.
//
// Thread safety: disclosed() is a pure function; DisclosureCache may be used from any thread.
// Failure codes: node.overloaded (503, Retry-After), sync.bad_stats_query, sync.db.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "reader_pool.h"
#include "weiquan/result.h"
#include "weiquan/sync/stats.h"

namespace wq::node {

struct DisclosedBusiness {
  std::string uscc;
  std::string name;
  std::int64_t closed_disclosed = 0;  // closed, the consumer consented
  // Of the disclosable closed tickets: mediated ones whose last result is an agreement, and
  // complaints handed to an ODR enterprise that it settled itself (自行和解).
  std::optional<double> mediation_success_rate;
  std::optional<double> settlement_rate;
};

// The businesses of a statistics table grouped by business that have a disclosable closed
// ticket, most such tickets first (ties by USCC).
std::vector<DisclosedBusiness> disclosed(const sync::StatsTable& by_business);

inline constexpr std::int64_t kDisclosureTtlMs = 5 * 60'000;
inline constexpr std::size_t kDisclosureEntries = 256;

struct DisclosureList {
  std::vector<DisclosedBusiness> businesses;
  std::int64_t computed_at_ms = 0;
};

class DisclosureCache {
 public:
  explicit DisclosureCache(ReaderPool& readers) : readers_(readers) {}

  // The list of `region` from `from_day` to `to_day` (YYYYMMDD), computed at most kDisclosureTtlMs
  // before `now_ms`.
  Result<std::shared_ptr<const DisclosureList>> get(const std::string& region,
                                                    std::uint32_t from_day, std::uint32_t to_day,
                                                    std::int64_t now_ms);

 private:
  using Key = std::tuple<std::string, std::uint32_t, std::uint32_t>;

  ReaderPool& readers_;
  std::mutex compute_;  // one computation at a time
  std::mutex mutex_;    // guards lists_
  std::map<Key, std::shared_ptr<const DisclosureList>> lists_;
};

}  // namespace wq::node

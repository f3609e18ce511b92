#include "disclosure.h"

#include <algorithm>

namespace wq::node {
namespace {

std::int64_t measure(const sync::BusinessMeasures& m, sync::BusinessMeasure which) {
  return m[static_cast<std::size_t>(which)];
}

std::optional<double> ratio(std::int64_t n, std::int64_t d) {
  if (d == 0) return std::nullopt;
  return static_cast<double>(n) / static_cast<double>(d);
}

}  // namespace

std::vector<DisclosedBusiness> disclosed(const sync::StatsTable& by_business) {
  using sync::BusinessMeasure;
  std::vector<DisclosedBusiness> out;
  for (const sync::StatsGroup& group : by_business.groups) {
    const sync::BusinessMeasures& m = group.business;
    const std::int64_t count = measure(m, BusinessMeasure::closed_disclosable);
    if (group.key.empty() || count == 0) continue;
    DisclosedBusiness business;
    business.uscc = group.key;
    business.name = group.business_name;
    business.closed_disclosed = count;
    business.mediation_success_rate =
        ratio(measure(m, BusinessMeasure::disclosable_mediation_agreed),
              measure(m, BusinessMeasure::disclosable_mediated));
    business.settlement_rate = ratio(measure(m, BusinessMeasure::disclosable_self_settled),
                                     measure(m, BusinessMeasure::disclosable_enterprise_handled));
    out.push_back(std::move(business));
  }
  std::sort(out.begin(), out.end(), [](const DisclosedBusiness& a, const DisclosedBusiness& b) {
    return a.closed_disclosed != b.closed_disclosed ? a.closed_disclosed > b.closed_disclosed
                                                    : a.uscc < b.uscc;
  });
  return out;
}

Result<std::shared_ptr<const DisclosureList>> DisclosureCache::get(const std::string& region,
                                                                   std::uint32_t from_day,
                                                                   std::uint32_t to_day,
                                                                   std::int64_t now_ms) {
  const Key key{region, from_day, to_day};
  const auto held = [&]() -> std::shared_ptr<const DisclosureList> {
    std::lock_guard lock(mutex_);
    auto it = lists_.find(key);
    return it == lists_.end() ? nullptr : it->second;
  };
  auto list = held();
  if (list && list->computed_at_ms + kDisclosureTtlMs >= now_ms) return list;
  std::unique_lock computing(compute_, std::try_to_lock);
  if (!computing.owns_lock()) {
    if (list) return list;  // a little stale rather than a second computation at once
    return make_error("node.overloaded",
                      "the disclosure of another region or period is being "
                      "computed; retry in a moment");
  }
  auto reader = readers_.acquire();
  if (!reader) return reader.error();
  sync::StatsQuery query;
  query.region = region;
  query.from_day = from_day;
  query.to_day = to_day;
  query.by = sync::StatsGrouping::business;
  query.now_ms = now_ms;
  query.top = 0;
  auto table = (*reader)->stats(query);
  if (!table) return table.error();
  list = std::make_shared<const DisclosureList>(DisclosureList{disclosed(*table), now_ms});
  std::lock_guard lock(mutex_);
  std::erase_if(lists_, [&](const auto& entry) {
    return entry.second->computed_at_ms + kDisclosureTtlMs < now_ms;
  });
  if (lists_.size() >= kDisclosureEntries) lists_.erase(lists_.begin());
  lists_[key] = list;
  return list;
}

}  // namespace wq::node

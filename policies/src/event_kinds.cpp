#include "event_kinds.h"

#include <algorithm>

namespace wq::policies::detail {
namespace {

template <class Range, class Name>
std::optional<std::size_t> index_of(const Range& range, Name name_of, std::string_view name) {
  const auto it = std::find_if(std::begin(range), std::end(range),
                               [&](const auto& item) { return name_of(item) == name; });
  if (it == std::end(range)) return std::nullopt;
  return static_cast<std::size_t>(it - std::begin(range));
}

}  // namespace

std::optional<std::size_t> find_kind(std::string_view name) {
  return index_of(
      kEventKinds, [](const EventKind& kind) { return kind.name; }, name);
}

std::optional<std::size_t> find_variant(const EventKind& kind, std::string_view variant) {
  return index_of(
      kind.variants, [](std::string_view v) { return v; }, variant);
}

std::string event_name(std::size_t kind, std::size_t variant) {
  const auto& spec = kEventKinds[kind];
  std::string name(spec.name);
  if (variant != kNoVariant) name += " (" + std::string(spec.variants[variant]) + ")";
  return name;
}

}  // namespace wq::policies::detail

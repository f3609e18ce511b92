// Private to policies/: the event kinds of the v1 wire schema (the field names of the `kind` oneof
// of EventBody in sync/proto/weiquan/v1/weiquan.proto, in field order) and, for the kinds whose
// lifecycle effect depends on one field of their body, the names of that field's values.
#pragma once

#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "vocabulary.h"

namespace wq::policies::detail {

struct EventKind {
  std::string_view name;
  // Empty when the kind has no variants; otherwise one of these must accompany the kind.
  std::span<const std::string_view> variants;
};

inline constexpr std::array<std::string_view, 4> kAssigneeVariants{"station", "officer",
                                                                   "enterprise", "association"};
inline constexpr std::array<std::string_view, 3> kTransferVariants{"parallel", "up", "down"};

inline constexpr std::array<EventKind, 23> kEventKinds{{
    {"submitted", {}},
    {"routed", {}},
    {"received", {}},
    {"accepted", {}},
    {"refused", {}},
    {"assigned", kAssigneeVariants},
    {"transferred", kTransferVariants},
    {"message", {}},
    {"evidence_added", {}},
    {"extension_requested", {}},
    {"extension_decided", {}},
    {"initial_feedback", {}},
    {"mediation_result", {}},
    {"converted_to_case", {}},
    {"closed", {}},
    {"reopened", {}},
    {"visited", {}},
    {"urged", {}},
    {"supervised", {}},
    {"merged", {}},
    {"type_changed", kTypeNames},  // the type the ticket becomes
    {"clock_paused", {}},
    {"clock_resumed", {}},
}};

// Index of `name` in kEventKinds.
std::optional<std::size_t> find_kind(std::string_view name);

// Index of `variant` in the kind's variants.
std::optional<std::size_t> find_variant(const EventKind& kind, std::string_view variant);

// The variant index of a kind that takes no variant.
inline constexpr std::size_t kNoVariant = static_cast<std::size_t>(-1);

// "closed", or "assigned (enterprise)" for a kind with its variant.
std::string event_name(std::size_t kind, std::size_t variant);

}  // namespace wq::policies::detail

// Private to policies/: the names of the small enums, indexed by their values, and every node
// level, for code that walks them (name tables, lifecycle documents).
#pragma once

#include <array>
#include <string_view>

#include "weiquan/policies/types.h"

namespace wq::policies::detail {

// Indexed by TicketType.
inline constexpr std::array<std::string_view, 4> kTypeNames{"complaint", "report", "inquiry",
                                                            "suggestion"};

// Indexed by Role.
inline constexpr std::array<std::string_view, 7> kRoleNames{
    "consumer", "officer", "supervisor", "enterprise", "association", "admin", "system"};

inline constexpr std::array kLevels{Level::national, Level::province, Level::city, Level::county,
                                    Level::station};

}  // namespace wq::policies::detail

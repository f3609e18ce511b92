// Node ids: a node is named by the GB/T 2260 code of the region it serves ("cn" for the national
// node, "11" a province, "1101" a city, "110101" a county, "110101001" a station), optionally
// followed by "-<n>" (n = 2..99, no leading zero) for a further replica of the same office.
//
// Thread safety: pure functions. Never fails; callers turn `false` into their own error code.
#pragma once

#include <optional>
#include <string_view>

#include "weiquan/crypto/certificate.h"

namespace wq::sync {

inline constexpr std::size_t kMaxNodeIdLength = 12;  // "110101001-99"

// True for a syntactically valid node id.
bool valid_node_id(std::string_view node_id);

// The region part of a node id ("440305-2" -> "440305"); the input itself when it has no suffix.
std::string_view node_region(std::string_view node_id);

// The level a region code denotes by its form ("cn", 2, 4, 6 or 9 digits); nullopt otherwise.
std::optional<crypto::Level> region_level(std::string_view region);

}  // namespace wq::sync

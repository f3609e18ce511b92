// Private to crypto/: the shape of region codes and node ids (DESIGN §2).
#pragma once

#include <optional>
#include <string_view>

#include "weiquan/crypto/certificate.h"

namespace wq::crypto::detail {

// The region part of a well-formed node id or region: "cn", or 2, 4, 6 or 9 digits, optionally
// followed by "-<digits>" ("110101-2" → "110101"). Nothing for anything else.
std::optional<std::string_view> region_of(std::string_view node_id);

// True if `region` is a well-formed region without replica suffix, of the form `level` implies:
// "cn" for national, then 2, 4, 6 and 9 digits.
bool region_fits_level(std::string_view region, Level level);

}  // namespace wq::crypto::detail

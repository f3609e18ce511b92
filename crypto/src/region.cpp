#include <algorithm>
#include <cassert>

#include "region_code.h"
#include "weiquan/crypto/certificate.h"

namespace wq::crypto {
namespace {

constexpr std::string_view kNational = "cn";

bool all_digits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::size_t code_length(Level level) {
  switch (level) {
    case Level::national:
      return kNational.size();
    case Level::province:
      return 2;
    case Level::city:
      return 4;
    case Level::county:
      return 6;
    case Level::station:
      return 9;
  }
  assert(false && "unknown level");
  return 0;
}

bool is_code(std::string_view region) {
  const std::size_t n = region.size();
  return all_digits(region) && (n == 2 || n == 4 || n == 6 || n == 9);
}

}  // namespace

namespace detail {

std::optional<std::string_view> region_of(std::string_view node_id) {
  const std::size_t dash = node_id.find('-');
  const std::string_view region = node_id.substr(0, dash);
  if (dash != std::string_view::npos && !all_digits(node_id.substr(dash + 1))) return std::nullopt;
  if (region != kNational && !is_code(region)) return std::nullopt;
  return region;
}

bool region_fits_level(std::string_view region, Level level) {
  const bool national = level == Level::national;
  return region_of(region) == region && (region == kNational) == national &&
         region.size() == code_length(level);
}

}  // namespace detail

bool region_contains(std::string_view outer, std::string_view inner) {
  const auto outer_region = detail::region_of(outer);
  const auto inner_region = detail::region_of(inner);
  if (!outer_region || !inner_region) return false;
  if (*outer_region == kNational) return true;
  return inner_region->starts_with(*outer_region);
}

}  // namespace wq::crypto

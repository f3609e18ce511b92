#include <array>
#include <cassert>
#include <utility>

#include "weiquan/crypto/certificate.h"

namespace wq::crypto {
namespace {

constexpr std::array<std::pair<Level, std::string_view>, 5> kLevelNames{{
    {Level::national, "national"},
    {Level::province, "province"},
    {Level::city, "city"},
    {Level::county, "county"},
    {Level::station, "station"},
}};

}  // namespace

std::string_view level_name(Level level) {
  for (const auto& [value, name] : kLevelNames) {
    if (value == level) return name;
  }
  assert(false && "unknown level");
  return {};
}

Result<Level> parse_level(std::string_view name) {
  for (const auto& [value, text] : kLevelNames) {
    if (text == name) return value;
  }
  return make_error("crypto.bad_level", "unknown level '" + std::string(name) +
                                            "' (national, province, city, county or station)");
}

}  // namespace wq::crypto

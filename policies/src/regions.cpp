#include "weiquan/policies/regions.h"

#include <algorithm>
#include <array>
#include <string>

#include "builtin_data.h"
#include "digits.h"
#include "embedded_tables.h"
#include "wording.h"

namespace wq::policies {
namespace {

struct LevelShape {
  std::string_view name;  // as in the table file
  Level level;
  std::size_t digits;
};

constexpr std::array<LevelShape, 4> kShapes{{
    {"province", Level::province, 2},
    {"city", Level::city, 4},
    {"county", Level::county, 6},
    {"township", Level::station, 9},
}};

// Index in kShapes of a level other than national.
std::size_t shape_index(Level level) {
  const auto shape = std::find_if(kShapes.begin(), kShapes.end(),
                                  [&](const LevelShape& s) { return s.level == level; });
  return static_cast<std::size_t>(shape - kShapes.begin());
}

const LevelShape* shape_of_length(std::size_t digits) {
  for (const auto& shape : kShapes) {
    if (shape.digits == digits) return &shape;
  }
  return nullptr;
}

bool well_formed(std::string_view code) {
  return code == kNationalRegion ||
         (detail::all_digits(code) && shape_of_length(code.size()) != nullptr);
}

// The code one level up, or empty for a province.
std::string_view parent_code(std::string_view code) {
  for (std::size_t i = kShapes.size(); i-- > 1;) {
    if (code.size() == kShapes[i].digits) return code.substr(0, kShapes[i - 1].digits);
  }
  return {};
}

constexpr Region kCountry{kNationalRegion, "中华人民共和国", Level::national};

Error table_error(std::size_t line, const std::string& what) {
  return make_error("policies.bad_region_table",
                    "region table line " + std::to_string(line) + ": " + what);
}

}  // namespace

struct RegionTable::Data {
  std::string text;             // the table file; regions view into it
  std::vector<Region> regions;  // sorted by code: a region's subtree follows it contiguously
  std::array<std::size_t, 4> counts{};  // by kShapes index

  const Region* find(std::string_view code) const {
    const auto it = std::lower_bound(
        regions.begin(), regions.end(), code,
        [](const Region& region, std::string_view key) { return region.code < key; });
    return it != regions.end() && it->code == code ? &*it : nullptr;
  }
};

RegionTable::RegionTable(std::shared_ptr<const Data> data) : data_(std::move(data)) {}

Result<RegionTable> RegionTable::parse(std::string_view tsv) {
  auto data = std::make_shared<Data>();
  data->text.assign(tsv);
  data->regions.reserve(static_cast<std::size_t>(std::count(tsv.begin(), tsv.end(), '\n')) + 1);
  std::string_view rest = data->text;
  std::size_t line_number = 0;
  while (!rest.empty()) {
    ++line_number;
    const std::size_t end = rest.find('\n');
    std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
    if (line.empty()) continue;
    const std::size_t tab1 = line.find('\t');
    const std::size_t tab2 = tab1 == std::string_view::npos ? tab1 : line.find('\t', tab1 + 1);
    if (tab2 == std::string_view::npos || line.find('\t', tab2 + 1) != std::string_view::npos) {
      return table_error(line_number, "expected code, level and name separated by tabs");
    }
    const std::string_view code = line.substr(0, tab1);
    const std::string_view level = line.substr(tab1 + 1, tab2 - tab1 - 1);
    const std::string_view name = line.substr(tab2 + 1);
    const auto shape = std::find_if(kShapes.begin(), kShapes.end(),
                                    [&](const LevelShape& s) { return s.name == level; });
    if (shape == kShapes.end()) {
      return table_error(line_number, "unknown level " + detail::in_quotes(level));
    }
    if (code.size() != shape->digits || !detail::all_digits(code)) {
      return table_error(line_number, "a " + std::string(level) + " code has " +
                                          std::to_string(shape->digits) + " digits, got " +
                                          detail::in_quotes(code));
    }
    if (name.empty()) return table_error(line_number, "empty name for " + std::string(code));
    data->regions.push_back(Region{code, name, shape->level});
    ++data->counts[static_cast<std::size_t>(shape - kShapes.begin())];
  }
  auto by_code = [](const Region& a, const Region& b) { return a.code < b.code; };
  if (!std::is_sorted(data->regions.begin(), data->regions.end(), by_code)) {
    std::sort(data->regions.begin(), data->regions.end(), by_code);
  }
  const auto duplicate =
      std::adjacent_find(data->regions.begin(), data->regions.end(),
                         [](const Region& a, const Region& b) { return a.code == b.code; });
  if (duplicate != data->regions.end()) {
    return make_error("policies.bad_region_table",
                      "region table lists " + std::string(duplicate->code) + " twice");
  }
  // In code order a parent comes before its subtree, so the last region seen one level up is the
  // parent if the table has it.
  std::array<std::string_view, kShapes.size()> last_seen{};
  for (const Region& region : data->regions) {
    const std::size_t depth = shape_index(region.level);
    if (depth > 0 && last_seen[depth - 1] != parent_code(region.code)) {
      return make_error("policies.bad_region_table",
                        "region table lists " + std::string(region.code) + " but not its parent " +
                            std::string(parent_code(region.code)));
    }
    last_seen[depth] = region.code;
  }
  return RegionTable(std::move(data));
}

const RegionTable& RegionTable::builtin() {
  static const RegionTable table =
      detail::expect_builtin(parse(embedded::regions_tsv()), "region table");
  return table;
}

std::optional<Region> RegionTable::find(std::string_view code) const {
  if (code == kNationalRegion) return kCountry;
  if (const Region* region = data_->find(code)) return *region;
  return std::nullopt;
}

Result<Region> RegionTable::lookup(std::string_view code) const {
  if (!well_formed(code)) {
    return make_error("policies.malformed_region",
                      detail::in_quotes(code) +
                          " is not a region code: use 2 digits for a province, 4 for a city, 6 "
                          "for a county or 9 for a township or street (GB/T 2260), or 'cn'");
  }
  if (auto region = find(code)) return *region;
  return make_error("policies.unknown_region",
                    "there is no region with the code " + std::string(code));
}

std::optional<Region> RegionTable::parent(std::string_view code) const {
  if (!find(code)) return std::nullopt;
  const std::string_view up = parent_code(code);
  if (up.empty()) return std::nullopt;
  return find(up);
}

std::vector<Region> RegionTable::ancestors(std::string_view code) const {
  std::vector<Region> chain;
  for (auto up = parent(code); up; up = parent(up->code)) chain.push_back(*up);
  return chain;
}

std::vector<Region> RegionTable::children(std::string_view code) const {
  std::vector<Region> out;
  const auto region = find(code);
  if (!region) return out;
  const std::size_t digits = code == kNationalRegion ? 0 : code.size();
  const auto next = std::find_if(kShapes.begin(), kShapes.end(),
                                 [&](const LevelShape& s) { return s.digits > digits; });
  if (next == kShapes.end()) return out;
  const auto& regions = data_->regions;
  auto it = std::lower_bound(regions.begin(), regions.end(), code.substr(0, digits),
                             [](const Region& r, std::string_view key) { return r.code < key; });
  for (; it != regions.end() && it->code.starts_with(code.substr(0, digits)); ++it) {
    if (it->code.size() == next->digits) out.push_back(*it);
  }
  return out;
}

bool RegionTable::contains(std::string_view outer, std::string_view inner) const {
  if (!find(outer) || !find(inner)) return false;
  if (outer == kNationalRegion) return true;
  return inner != kNationalRegion && inner.starts_with(outer);
}

std::size_t RegionTable::count(Level level) const {
  if (level == Level::national) return 1;
  return data_->counts[shape_index(level)];
}

}  // namespace wq::policies

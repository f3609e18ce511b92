#include "office_fixture.h"

#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "weiquan/policies/validation.h"

namespace wq::testing {

std::string make_uscc(unsigned n) {
  char organization[10] = {};
  std::snprintf(organization, sizeof organization, "%08u", n % 100'000'000);
  constexpr std::array<int, 8> kWeights{3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (std::size_t i = 0; i < kWeights.size(); ++i) sum += (organization[i] - '0') * kWeights[i];
  const int check = 11 - sum % 11;
  organization[8] = check == 10 ? 'X' : check == 11 ? '0' : static_cast<char>('0' + check);
  const std::string first17 = std::string("91440300") + organization;
  const auto last = policies::uscc_check_character(first17);
  REQUIRE(last.ok());
  return first17 + *last;
}

std::string raw_database_bytes(const std::filesystem::path& db) {
  std::string all;
  for (const auto& path : {db, std::filesystem::path(db.string() + "-wal")}) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    all += bytes.str();
  }
  return all;
}

}  // namespace wq::testing

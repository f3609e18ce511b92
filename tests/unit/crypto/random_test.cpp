#include "weiquan/crypto/random.h"

#include <catch2/catch.hpp>
#include <set>

#include "weiquan/crypto/sodium.h"

namespace wq::crypto {
namespace {

TEST_CASE("init succeeds and may be repeated", "[crypto][random]") {
  CHECK(init().ok());
  CHECK(init().ok());
}

TEST_CASE("random_fill fills the whole buffer with fresh bytes", "[crypto][random]") {
  Bytes first(64, 0);
  Bytes second(64, 0);
  random_fill(first);
  random_fill(second);
  CHECK(first != second);
  CHECK(first != Bytes(64, 0));
  random_fill({});
}

TEST_CASE("random_u64 does not repeat", "[crypto][random]") {
  std::set<std::uint64_t> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(random_u64());
  CHECK(seen.size() == 1000);
}

TEST_CASE("constant_time_equal compares contents and lengths", "[crypto][random]") {
  const Bytes a{1, 2, 3, 4};
  CHECK(constant_time_equal(a, Bytes{1, 2, 3, 4}));
  CHECK_FALSE(constant_time_equal(a, Bytes{1, 2, 3, 5}));
  CHECK_FALSE(constant_time_equal(a, Bytes{9, 2, 3, 4}));
  CHECK_FALSE(constant_time_equal(a, Bytes{1, 2, 3}));
  CHECK(constant_time_equal({}, {}));
}

}  // namespace
}  // namespace wq::crypto

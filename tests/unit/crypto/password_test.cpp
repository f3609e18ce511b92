#include "weiquan/crypto/password.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace wq::crypto {
namespace {

const PasswordCost kCheap = PasswordCost::minimum();

TEST_CASE("a password hash verifies the password and nothing else", "[crypto][password]") {
  const Result<std::string> hash = hash_password("correct horse battery", kCheap);
  REQUIRE(hash.ok());
  CHECK(hash->rfind("$argon2id$v=19$", 0) == 0);

  const Result<bool> right = verify_password(*hash, "correct horse battery");
  REQUIRE(right.ok());
  CHECK(*right);
  for (const std::string& wrong :
       std::vector<std::string>{"correct horse batterY", "correct horse battery ",
                                "correct horse batter", "", std::string(2000, 'x')}) {
    const Result<bool> result = verify_password(*hash, wrong);
    REQUIRE(result.ok());
    CHECK_FALSE(*result);
  }
}

TEST_CASE("equal passwords hash to different strings (fresh salt)", "[crypto][password]") {
  const Result<std::string> a = hash_password("same password here", kCheap);
  const Result<std::string> b = hash_password("same password here", kCheap);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(*a != *b);
}

TEST_CASE("passwords outside 10..1024 bytes are refused", "[crypto][password]") {
  const Result<std::string> short_one = hash_password("123456789", kCheap);
  REQUIRE_FALSE(short_one.ok());
  CHECK(short_one.error().code == "crypto.weak_password");
  CHECK(hash_password(std::string(10, 'a'), kCheap).ok());
  CHECK(hash_password(std::string(1024, 'a'), kCheap).ok());
  const Result<std::string> long_one = hash_password(std::string(1025, 'a'), kCheap);
  REQUIRE_FALSE(long_one.ok());
  CHECK(long_one.error().code == "crypto.bad_password");
}

TEST_CASE("a stored hash that is not Argon2id is an error, not a mismatch", "[crypto][password]") {
  for (const std::string& bad : std::vector<std::string>{
           "", "plaintext password", "$argon2i$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA",
           std::string("$argon2id$\0", 11), "$argon2id$" + std::string(200, 'a')}) {
    const Result<bool> result = verify_password(bad, "any password at all");
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == "crypto.bad_password_hash");
  }
  const Result<std::string> hash = hash_password("correct horse battery", kCheap);
  REQUIRE(hash.ok());
  std::string altered = *hash;
  altered.back() = altered.back() == 'A' ? 'B' : 'A';
  const Result<bool> result = verify_password(altered, "correct horse battery");
  REQUIRE(result.ok());
  CHECK_FALSE(*result);
}

TEST_CASE("needs_rehash tells a hash made at another cost", "[crypto][password]") {
  const Result<std::string> cheap = hash_password("correct horse battery", kCheap);
  REQUIRE(cheap.ok());
  CHECK_FALSE(needs_rehash(*cheap, kCheap));
  CHECK(needs_rehash(*cheap, PasswordCost::interactive()));
  CHECK(needs_rehash("not a hash", kCheap));
}

TEST_CASE("the interactive cost is libsodium's", "[crypto][password]") {
  CHECK(PasswordCost::interactive().opslimit == 2);
  CHECK(PasswordCost::interactive().memlimit == 64u * 1024 * 1024);
  CHECK(PasswordCost::minimum().memlimit == 8192);
}

TEST_CASE("wipe empties a secret string", "[crypto][password]") {
  std::string secret = "a password that must not linger";
  wipe(secret);
  CHECK(secret.empty());
}

}  // namespace
}  // namespace wq::crypto

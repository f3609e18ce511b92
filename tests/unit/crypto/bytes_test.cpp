#include "weiquan/crypto/bytes.h"

#include <catch2/catch.hpp>
#include <string>

namespace wq::crypto {
namespace {

Bytes all_byte_values() {
  Bytes bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<std::uint8_t>(i));
  return bytes;
}

TEST_CASE("hex round-trips every byte value and every length", "[crypto][bytes]") {
  const Bytes all = all_byte_values();
  for (std::size_t length = 0; length <= all.size(); length += 17) {
    const ByteView piece = ByteView(all).first(length);
    const std::string hex = to_hex(piece);
    CHECK(hex.size() == 2 * length);
    const Result<Bytes> back = from_hex(hex);
    REQUIRE(back.ok());
    CHECK(*back == Bytes(piece.begin(), piece.end()));
  }
}

TEST_CASE("hex is lower case and accepts upper case", "[crypto][bytes]") {
  const Bytes bytes{0xab, 0xcd, 0xef, 0x01};
  CHECK(to_hex(bytes) == "abcdef01");
  const Result<Bytes> upper = from_hex("ABCDEF01");
  REQUIRE(upper.ok());
  CHECK(*upper == bytes);
}

TEST_CASE("from_hex rejects anything but complete hex", "[crypto][bytes]") {
  for (const char* bad : {"a", "abc", "zz", "ab cd", "ab\n", " ab", "0x12", "ab-cd", "abg0"}) {
    INFO(bad);
    const Result<Bytes> decoded = from_hex(bad);
    REQUIRE_FALSE(decoded.ok());
    CHECK(decoded.error().code == "crypto.bad_encoding");
  }
}

TEST_CASE("base64 follows RFC 4648 with padding", "[crypto][bytes]") {
  CHECK(to_base64(as_bytes("")) == "");
  CHECK(to_base64(as_bytes("f")) == "Zg==");
  CHECK(to_base64(as_bytes("fo")) == "Zm8=");
  CHECK(to_base64(as_bytes("foo")) == "Zm9v");
  CHECK(to_base64(as_bytes("foobar")) == "Zm9vYmFy");
  CHECK(to_base64(Bytes{0xfb, 0xff}) == "+/8=");
}

TEST_CASE("base64 round-trips every byte value and every length", "[crypto][bytes]") {
  const Bytes all = all_byte_values();
  for (std::size_t length = 0; length <= all.size(); ++length) {
    const ByteView piece = ByteView(all).first(length);
    const Result<Bytes> back = from_base64(to_base64(piece));
    REQUIRE(back.ok());
    CHECK(*back == Bytes(piece.begin(), piece.end()));
  }
}

TEST_CASE("from_base64 rejects malformed text", "[crypto][bytes]") {
  for (const char* bad :
       {"Zg", "Zg=", "Z", "Zm9v!", "Zm9v Zm9v", "Zg==Zg==", "Zh==", "-_8=", "Zm9v\n", "===="}) {
    INFO(bad);
    const Result<Bytes> decoded = from_base64(bad);
    REQUIRE_FALSE(decoded.ok());
    CHECK(decoded.error().code == "crypto.bad_encoding");
  }
}

TEST_CASE("to_array takes exactly N bytes", "[crypto][bytes]") {
  const Bytes bytes{1, 2, 3};
  const Result<std::array<std::uint8_t, 3>> exact = to_array<3>(bytes);
  REQUIRE(exact.ok());
  CHECK(*exact == std::array<std::uint8_t, 3>{1, 2, 3});
  for (const Result<std::array<std::uint8_t, 2>>& wrong :
       {to_array<2>(bytes), to_array<2>(ByteView(bytes).first(1))}) {
    REQUIRE_FALSE(wrong.ok());
    CHECK(wrong.error().code == "crypto.bad_length");
  }
}

}  // namespace
}  // namespace wq::crypto

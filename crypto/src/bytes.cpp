#include "weiquan/crypto/bytes.h"

#include <sodium.h>

#include "ready.h"

namespace wq::crypto {
namespace {

constexpr int kBase64Variant = sodium_base64_VARIANT_ORIGINAL;

Error bad_encoding(std::string_view what, std::size_t length) {
  return make_error("crypto.bad_encoding",
                    "not valid " + std::string(what) + " (" + std::to_string(length) + " chars)");
}

}  // namespace

ByteView as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

std::string to_hex(ByteView bytes) {
  detail::ensure_ready();
  std::string hex(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes.data(), bytes.size());
  hex.pop_back();
  return hex;
}

Result<Bytes> from_hex(std::string_view hex) {
  detail::ensure_ready();
  // One spare byte keeps the output pointer valid (never null) for empty input.
  Bytes out(hex.size() / 2 + 1);
  std::size_t length = 0;
  if (sodium_hex2bin(out.data(), out.size(), hex.data(), hex.size(), nullptr, &length, nullptr) !=
      0) {
    return bad_encoding("hex", hex.size());
  }
  out.resize(length);
  return out;
}

std::string to_base64(ByteView bytes) {
  detail::ensure_ready();
  std::string text(sodium_base64_ENCODED_LEN(bytes.size(), kBase64Variant), '\0');
  sodium_bin2base64(text.data(), text.size(), bytes.data(), bytes.size(), kBase64Variant);
  text.pop_back();
  return text;
}

Result<Bytes> from_base64(std::string_view text) {
  detail::ensure_ready();
  // Room for any decodable input, and never a null output pointer.
  Bytes out(text.size() / 4 * 3 + 3);
  std::size_t length = 0;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &length, nullptr,
                        kBase64Variant) != 0) {
    return bad_encoding("base64", text.size());
  }
  out.resize(length);
  return out;
}

}  // namespace wq::crypto

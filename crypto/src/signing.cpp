#include "weiquan/crypto/signing.h"

#include <sodium.h>

#include <cassert>

#include "ready.h"

namespace wq::crypto {
namespace {

static_assert(crypto_sign_BYTES == std::tuple_size_v<Signature>);

// "weiquan/v1/<domain>" || 0x00 || body: the message the Ed25519 signature covers.
Bytes signing_input(Domain domain, ByteView body) {
  const std::string_view tag = domain_tag(domain);
  Bytes input;
  input.reserve(tag.size() + 1 + body.size());
  input.insert(input.end(), tag.begin(), tag.end());
  input.push_back(0);
  input.insert(input.end(), body.begin(), body.end());
  return input;
}

}  // namespace

std::string_view domain_tag(Domain domain) {
  switch (domain) {
    case Domain::certificate:
      return "weiquan/v1/certificate";
    case Domain::revocation:
      return "weiquan/v1/revocation";
    case Domain::event:
      return "weiquan/v1/event";
    case Domain::receipt:
      return "weiquan/v1/receipt";
    case Domain::envelope:
      return "weiquan/v1/envelope";
    case Domain::policy:
      return "weiquan/v1/policy";
    case Domain::ack:
      return "weiquan/v1/ack";
    case Domain::heartbeat:
      return "weiquan/v1/heartbeat";
    case Domain::supervision:
      return "weiquan/v1/supervision";
    case Domain::report:
      return "weiquan/v1/report";
  }
  assert(false && "unknown signing domain");
  return {};
}

Signature sign(const SigningKeyPair& key, Domain domain, ByteView body) {
  detail::ensure_ready();
  const Bytes input = signing_input(domain, body);
  Signature signature{};
  [[maybe_unused]] const int rc = crypto_sign_detached(signature.data(), nullptr, input.data(),
                                                       input.size(), key.secret.data());
  assert(rc == 0);
  return signature;
}

bool verify(const PublicKey& key, Domain domain, ByteView body, const Signature& signature) {
  detail::ensure_ready();
  const Bytes input = signing_input(domain, body);
  return crypto_sign_verify_detached(signature.data(), input.data(), input.size(), key.data()) == 0;
}

}  // namespace wq::crypto

// Ed25519 signatures with domain separation.
//
// The message actually signed is   "weiquan/v1/<domain>" || 0x00 || body
// so that bytes signed as one kind of object can never be accepted as another. The body is the
// exact serialized bytes of a *Body message; nobody re-serializes before verifying.
//
// Thread safety: pure functions.
// Failure: sign never fails; verify answers false for anything but a valid signature (including a
// malformed public key or a non-canonical signature) and its result must be used.
#pragma once

#include <string_view>

#include "weiquan/crypto/keys.h"

namespace wq::crypto {

enum class Domain {
  certificate,
  revocation,
  event,
  receipt,
  envelope,
  policy,
  ack,
  heartbeat,
  supervision,
  report
};

// "weiquan/v1/certificate", "weiquan/v1/event", ...
std::string_view domain_tag(Domain domain);

Signature sign(const SigningKeyPair& key, Domain domain, ByteView body);

// True only when the signature is valid for exactly these bytes under this key and domain.
[[nodiscard]] bool verify(const PublicKey& key, Domain domain, ByteView body,
                          const Signature& signature);

}  // namespace wq::crypto

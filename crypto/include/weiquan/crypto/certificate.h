// Node certificates, revocations and the chain of trust to the national anchor.
//
// A certificate binds a node id, level and region to its two public keys for a validity window; it
// is signed (Domain::certificate) by the parent node's key, and the national node's certificate is
// self-signed by the trust anchor key shipped with a deployment. The wire form of the signed body is
// a Protobuf message defined in sync/proto (this module stays free of Protobuf): callers decode the
// body into `Certificate` and keep the exact body bytes beside it in `SignedCertificate`, so the
// signature is checked over the bytes that were signed, never over a re-encoding.
//
// TrustStore answers "may this node's key be trusted at time t": it walks issuer links to the anchor,
// checking at each step the signature, the validity window at t, that the child is at a deeper level
// whose region lies inside the issuer's, and that no revocation effective at or before t covers the
// certificate.
//
// Thread safety: TrustStore is not synchronised; one owner, or external locking.
// Failure codes: crypto.unknown_node, crypto.bad_signature, crypto.cert_not_yet_valid,
// crypto.cert_expired, crypto.cert_revoked, crypto.chain_too_long, crypto.bad_issuer,
// crypto.level_mismatch, crypto.region_mismatch, crypto.untrusted_anchor.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "weiquan/crypto/keys.h"

namespace wq::crypto {

enum class Level { national = 1, province = 2, city = 3, county = 4, station = 5 };

std::string_view level_name(Level level);
Result<Level> parse_level(std::string_view name);

struct Certificate {
  std::uint32_t version = 1;
  std::string node_id;
  Level level = Level::national;
  std::string region;
  PublicKey sign_key{};
  PublicKey box_key{};
  std::int64_t not_before_ms = 0;
  std::int64_t not_after_ms = 0;
  std::uint64_t serial = 0;
  std::string issuer;
};

struct SignedCertificate {
  Certificate cert;  // decoded from body
  Bytes body;        // exact signed bytes
  Signature signature{};
};

struct Revocation {
  std::uint32_t version = 1;
  std::string issuer;
  std::string node_id;
  std::uint64_t serial = 0;
  std::int64_t revoked_at_ms = 0;
  std::string reason;
};

struct SignedRevocation {
  Revocation revocation;  // decoded from body
  Bytes body;
  Signature signature{};
};

// True if `inner` lies inside `outer` ("cn" contains every region; "11" contains "1101", ...).
bool region_contains(std::string_view outer, std::string_view inner);

class TrustStore {
 public:
  TrustStore(PublicKey anchor_key, std::string anchor_id = "cn");

  const PublicKey& anchor_key() const { return anchor_key_; }
  const std::string& anchor_id() const { return anchor_id_; }

  // Adds a certificate after checking its own signature against a known issuer (or the anchor key
  // for the self-signed national certificate). Idempotent for identical bytes. A revocation is
  // accepted only when signed by the issuer of the certificate it names.
  Status add(SignedCertificate cert);
  Status add(SignedRevocation revocation);

  // The certificate of `node_id` valid at `at_ms` whose whole chain verifies at `at_ms`.
  Result<const SignedCertificate*> verify_chain(const std::string& node_id,
                                                std::int64_t at_ms) const;

  std::vector<const SignedCertificate*> certificates() const;
  std::vector<const SignedRevocation*> revocations() const;

 private:
  PublicKey anchor_key_;
  std::string anchor_id_;
  std::map<std::string, std::vector<SignedCertificate>> by_node_;
  std::vector<SignedRevocation> revocations_;
};

}  // namespace wq::crypto

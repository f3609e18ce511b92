// Node certificates, revocations and the chain of trust to the national anchor.
//
// A certificate binds a node id, level and region to its two public keys for a validity window
// not_before_ms <= t < not_after_ms; it is signed (Domain::certificate) by the parent node's key,
// and the national node's certificate is self-signed by the trust anchor key shipped with a
// deployment. The wire form of the signed body is a Protobuf message defined in sync/proto (this
// module stays free of Protobuf): callers decode the body into `Certificate` and keep the exact
// body bytes beside it in `SignedCertificate`, so the signature is checked over the bytes that were
// signed, never over a re-encoding (docs/adr/0001).
//
// TrustStore answers "may this node's key be trusted at time t": it walks issuer links to the
// anchor, checking at each step that the certificate was signed by the issuer certificate's key,
// the validity window at t, that the child is at a deeper level whose region lies inside the
// issuer's, and that no revocation effective at or before t covers the certificate. A node may hold
// several certificates (renewal); the newest one whose whole chain verifies at t is the answer.
//
// Ownership: TrustStore owns copies of everything added. It never removes anything, so the pointers
// it hands out stay valid for its lifetime.
// Thread safety: TrustStore is not synchronised; one owner, or external locking (const methods may
// run concurrently with each other).
// Failure codes: crypto.unknown_node, crypto.bad_signature, crypto.cert_not_yet_valid,
// crypto.cert_expired, crypto.cert_revoked, crypto.chain_too_long, crypto.bad_issuer,
// crypto.level_mismatch, crypto.region_mismatch, crypto.untrusted_anchor, crypto.bad_certificate,
// crypto.bad_revocation, crypto.bad_level.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "weiquan/crypto/keys.h"

namespace wq::crypto {

enum class Level { national = 1, province = 2, city = 3, county = 4, station = 5 };

// "national", "province", "city", "county", "station"; parse_level fails with crypto.bad_level.
std::string_view level_name(Level level);
Result<Level> parse_level(std::string_view name);

struct Certificate {
  std::uint32_t version = 1;
  std::string node_id;  // region code, optionally followed by "-<n>" for a replica
  Level level = Level::national;
  std::string region;  // "cn" (national) or a GB/T 2260 code of the length the level implies
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
  std::int64_t revoked_at_ms = 0;  // the certificate is untrusted at every t >= revoked_at_ms
  std::string reason;
};

struct SignedRevocation {
  Revocation revocation;  // decoded from body
  Bytes body;
  Signature signature{};
};

// True if `inner` lies inside `outer`: "cn" contains every region, otherwise GB/T 2260 codes nest
// by prefix ("11" ⊃ "1101" ⊃ "110101" ⊃ "110101001"); a region contains itself. Either argument may
// be a node id: its "-<n>" replica suffix is not part of the region. Malformed codes are in
// nothing.
bool region_contains(std::string_view outer, std::string_view inner);

class TrustStore {
 public:
  static constexpr std::size_t kMaxChainLength = 8;

  explicit TrustStore(PublicKey anchor_key, std::string anchor_id = "cn");

  const PublicKey& anchor_key() const { return anchor_key_; }
  const std::string& anchor_id() const { return anchor_id_; }

  // Adds a certificate after checking its fields agree with each other (crypto.bad_certificate),
  // its signature against a known issuer's key (crypto.unknown_node if the issuer has no
  // certificate yet: add parents first) and the level and region it claims against that issuer's.
  // The national certificate must name the anchor id, carry the anchor key and be self-signed by
  // it. Validity windows and revocations are not checked here but by verify_chain at a given time.
  // Identical bytes again are a no-op.
  Status add(SignedCertificate cert);
  // Adds a revocation signed (Domain::revocation) by a key of the issuer it names; it covers only
  // certificates that issuer issued. Identical bytes again are a no-op.
  Status add(SignedRevocation revocation);

  // The newest certificate of `node_id` whose whole chain verifies at `at_ms`. When none does, the
  // error is that of a certificate whose window contains `at_ms` if there is one, else the newest.
  Result<const SignedCertificate*> verify_chain(std::string_view node_id, std::int64_t at_ms) const;

  // In order of addition, so every issuer precedes what it issued: adding them in this order to an
  // empty TrustStore with the same anchor succeeds.
  std::vector<const SignedCertificate*> certificates() const;
  std::vector<const SignedRevocation*> revocations() const;

 private:
  struct Entry {
    SignedCertificate signed_cert;
    PublicKey signer_key{};  // the key whose signature add() verified
  };
  using RevocationKey = std::tuple<std::string, std::string, std::uint64_t>;

  Status verify_entry(const Entry& entry, std::int64_t at_ms, std::size_t depth) const;
  // The certificates of `node_id`, newest first; empty if none is known.
  std::vector<const Entry*> find(std::string_view node_id) const;

  PublicKey anchor_key_;
  std::string anchor_id_;
  std::deque<Entry> entries_;  // in order of addition; a deque, so handed-out pointers stay valid
  // Positions in entries_ of each node's certificates, newest first (positions, not pointers, so
  // that copying a TrustStore copies a consistent index).
  std::map<std::string, std::vector<std::size_t>, std::less<>> by_node_;
  std::deque<SignedRevocation> revocations_;
  std::map<RevocationKey, std::int64_t> revoked_from_;  // earliest revoked_at_ms per certificate
};

}  // namespace wq::crypto

#include <algorithm>
#include <cassert>
#include <optional>

#include "region_code.h"
#include "weiquan/crypto/certificate.h"
#include "weiquan/crypto/signing.h"

namespace wq::crypto {
namespace {

std::string describe(const Certificate& cert) {
  return "certificate of " + cert.node_id + " (serial " + std::to_string(cert.serial) +
         ", issuer " + cert.issuer + ")";
}

bool self_signed(const Certificate& cert) {
  return cert.issuer == cert.node_id;
}

bool within_window(const Certificate& cert, std::int64_t at_ms) {
  return cert.not_before_ms <= at_ms && at_ms < cert.not_after_ms;
}

// Newest first: later start of validity, then higher serial.
bool newer(const Certificate& a, const Certificate& b) {
  return std::tie(a.not_before_ms, a.serial) > std::tie(b.not_before_ms, b.serial);
}

bool same_bytes(ByteView body_a, const Signature& signature_a, ByteView body_b,
                const Signature& signature_b) {
  return std::equal(body_a.begin(), body_a.end(), body_b.begin(), body_b.end()) &&
         signature_a == signature_b;
}

// The fields of a certificate that must agree with each other whoever issued it.
Status check_fields(const Certificate& cert) {
  if (cert.version != 1) {
    return make_error("crypto.bad_certificate",
                      describe(cert) + " has unsupported version " + std::to_string(cert.version));
  }
  if (!detail::region_fits_level(cert.region, cert.level)) {
    return make_error("crypto.bad_certificate", describe(cert) + ": region '" + cert.region +
                                                    "' is not a " +
                                                    std::string(level_name(cert.level)) + " code");
  }
  if (detail::region_of(cert.node_id) != std::string_view(cert.region)) {
    return make_error("crypto.bad_certificate",
                      describe(cert) + ": node id does not name region " + cert.region);
  }
  if (cert.not_before_ms >= cert.not_after_ms) {
    return make_error("crypto.bad_certificate", describe(cert) + ": empty validity window");
  }
  return {};
}

// What an issuer may certify: a deeper level, inside its own region.
Status check_issued_by(const Certificate& issuer, const Certificate& cert) {
  if (cert.level <= issuer.level) {
    return make_error("crypto.level_mismatch",
                      describe(cert) + ": level " + std::string(level_name(cert.level)) +
                          " is not below the issuer's " + std::string(level_name(issuer.level)));
  }
  if (!region_contains(issuer.region, cert.region)) {
    return make_error("crypto.region_mismatch", describe(cert) + ": region " + cert.region +
                                                    " is outside the issuer's " + issuer.region);
  }
  return {};
}

Status check_time(const Certificate& cert, std::int64_t at_ms) {
  if (at_ms < cert.not_before_ms) {
    return make_error("crypto.cert_not_yet_valid", describe(cert) + " is valid only from " +
                                                       std::to_string(cert.not_before_ms) +
                                                       " ms, checked at " + std::to_string(at_ms));
  }
  if (at_ms >= cert.not_after_ms) {
    return make_error("crypto.cert_expired", describe(cert) + " expired at " +
                                                 std::to_string(cert.not_after_ms) +
                                                 " ms, checked at " + std::to_string(at_ms));
  }
  return {};
}

// Tries `attempt` on each candidate certificate in turn (newest first) and returns the first that
// succeeds. When none does, the error reported is that of a candidate valid at `at_ms`, if any, for
// the others fail only because their window is elsewhere.
template <class Entry, class Attempt>
Result<const Entry*> first_verified(const std::vector<const Entry*>& candidates, std::int64_t at_ms,
                                    Attempt attempt) {
  std::optional<Error> failure;
  bool failure_in_window = false;
  for (const Entry* candidate : candidates) {
    const Status status = attempt(*candidate);
    if (status) return candidate;
    const bool in_window = within_window(candidate->signed_cert.cert, at_ms);
    if (!failure || (in_window && !failure_in_window)) {
      failure = status.error();
      failure_in_window = in_window;
    }
  }
  assert(failure);
  return *failure;
}

}  // namespace

TrustStore::TrustStore(PublicKey anchor_key, std::string anchor_id)
    : anchor_key_(anchor_key), anchor_id_(std::move(anchor_id)) {}

std::vector<const TrustStore::Entry*> TrustStore::find(std::string_view node_id) const {
  std::vector<const Entry*> found;
  if (const auto it = by_node_.find(node_id); it != by_node_.end()) {
    for (const std::size_t position : it->second) found.push_back(&entries_[position]);
  }
  return found;
}

Status TrustStore::add(SignedCertificate signed_cert) {
  const Certificate& cert = signed_cert.cert;
  for (const Entry* entry : find(cert.node_id)) {
    if (same_bytes(entry->signed_cert.body, entry->signed_cert.signature, signed_cert.body,
                   signed_cert.signature)) {
      return {};
    }
  }
  if (Status fields = check_fields(cert); !fields) return fields;

  PublicKey signer_key{};
  if (self_signed(cert)) {
    if (cert.node_id != anchor_id_) {
      return make_error("crypto.bad_issuer",
                        describe(cert) + " is self-signed but only " + anchor_id_ + " may be");
    }
    if (cert.sign_key != anchor_key_) {
      return make_error("crypto.untrusted_anchor",
                        describe(cert) + " does not carry this deployment's trust anchor key");
    }
    if (!verify(anchor_key_, Domain::certificate, signed_cert.body, signed_cert.signature)) {
      return make_error("crypto.bad_signature", describe(cert) + " is not signed by the anchor");
    }
    signer_key = anchor_key_;
  } else {
    const std::vector<const Entry*> issuers = find(cert.issuer);
    if (issuers.empty()) {
      return make_error("crypto.unknown_node",
                        describe(cert) + ": no certificate of the issuer is known");
    }
    const auto signer = std::find_if(issuers.begin(), issuers.end(), [&](const Entry* issuer) {
      return verify(issuer->signed_cert.cert.sign_key, Domain::certificate, signed_cert.body,
                    signed_cert.signature);
    });
    if (signer == issuers.end()) {
      return make_error("crypto.bad_signature",
                        describe(cert) + " is not signed by any key of its issuer");
    }
    signer_key = (*signer)->signed_cert.cert.sign_key;
    if (Status issued = check_issued_by((*signer)->signed_cert.cert, cert); !issued) return issued;
  }

  const std::size_t position = entries_.size();
  const Entry& entry = entries_.emplace_back(Entry{std::move(signed_cert), signer_key});
  std::vector<std::size_t>& same_node = by_node_[entry.signed_cert.cert.node_id];
  const auto before = std::find_if(same_node.begin(), same_node.end(), [&](std::size_t other) {
    return newer(entry.signed_cert.cert, entries_[other].signed_cert.cert);
  });
  same_node.insert(before, position);
  return {};
}

Status TrustStore::add(SignedRevocation signed_revocation) {
  const Revocation& revocation = signed_revocation.revocation;
  for (const SignedRevocation& known : revocations_) {
    if (same_bytes(known.body, known.signature, signed_revocation.body,
                   signed_revocation.signature)) {
      return {};
    }
  }
  const std::string what = "revocation of " + revocation.node_id + " serial " +
                           std::to_string(revocation.serial) + " by " + revocation.issuer;
  if (revocation.version != 1) {
    return make_error("crypto.bad_revocation",
                      what + " has unsupported version " + std::to_string(revocation.version));
  }
  const std::vector<const Entry*> issuers = find(revocation.issuer);
  if (issuers.empty()) {
    return make_error("crypto.unknown_node", what + ": no certificate of the issuer is known");
  }
  const bool signed_by_issuer =
      std::any_of(issuers.begin(), issuers.end(), [&](const Entry* issuer) {
        return verify(issuer->signed_cert.cert.sign_key, Domain::revocation, signed_revocation.body,
                      signed_revocation.signature);
      });
  if (!signed_by_issuer) {
    return make_error("crypto.bad_signature", what + " is not signed by any key of the issuer");
  }

  RevocationKey key{revocation.issuer, revocation.node_id, revocation.serial};
  const auto [it, inserted] = revoked_from_.try_emplace(std::move(key), revocation.revoked_at_ms);
  if (!inserted) it->second = std::min(it->second, revocation.revoked_at_ms);
  revocations_.push_back(std::move(signed_revocation));
  return {};
}

Status TrustStore::verify_entry(const Entry& entry, std::int64_t at_ms, std::size_t depth) const {
  const Certificate& cert = entry.signed_cert.cert;
  if (depth >= kMaxChainLength) {
    return make_error("crypto.chain_too_long", describe(cert) + " is more than " +
                                                   std::to_string(kMaxChainLength) +
                                                   " links from the anchor");
  }
  if (Status time = check_time(cert, at_ms); !time) return time;
  const auto revoked = revoked_from_.find(RevocationKey{cert.issuer, cert.node_id, cert.serial});
  if (revoked != revoked_from_.end() && revoked->second <= at_ms) {
    return make_error("crypto.cert_revoked", describe(cert) + " is revoked from " +
                                                 std::to_string(revoked->second) + " ms");
  }
  if (self_signed(cert)) {
    assert(cert.node_id == anchor_id_ && entry.signer_key == anchor_key_);
    return {};
  }

  const std::vector<const Entry*> issuers = find(cert.issuer);
  assert(!issuers.empty() && "add() admits a certificate only after its issuer");
  const Result<const Entry*> issuer =
      first_verified(issuers, at_ms, [&](const Entry& candidate) -> Status {
        if (candidate.signed_cert.cert.sign_key != entry.signer_key) {
          return make_error("crypto.bad_signature", describe(cert) + " is not signed by " +
                                                        describe(candidate.signed_cert.cert));
        }
        if (Status issued = check_issued_by(candidate.signed_cert.cert, cert); !issued) {
          return issued;
        }
        return verify_entry(candidate, at_ms, depth + 1);
      });
  if (!issuer) return issuer.error();
  return {};
}

Result<const SignedCertificate*> TrustStore::verify_chain(std::string_view node_id,
                                                          std::int64_t at_ms) const {
  const std::vector<const Entry*> candidates = find(node_id);
  if (candidates.empty()) {
    return make_error("crypto.unknown_node",
                      "no certificate of " + std::string(node_id) + " is known");
  }
  const Result<const Entry*> verified = first_verified(
      candidates, at_ms, [&](const Entry& entry) { return verify_entry(entry, at_ms, 0); });
  if (!verified) return verified.error();
  return &verified.value()->signed_cert;
}

std::vector<const SignedCertificate*> TrustStore::certificates() const {
  std::vector<const SignedCertificate*> out;
  out.reserve(entries_.size());
  for (const Entry& entry : entries_) out.push_back(&entry.signed_cert);
  return out;
}

std::vector<const SignedRevocation*> TrustStore::revocations() const {
  std::vector<const SignedRevocation*> out;
  out.reserve(revocations_.size());
  for (const SignedRevocation& revocation : revocations_) out.push_back(&revocation);
  return out;
}

}  // namespace wq::crypto

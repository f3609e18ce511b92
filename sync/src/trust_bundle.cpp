#include "trust_bundle.h"

#include "weiquan/crypto/hash.h"
#include "weiquan/sync/certificate_codec.h"

namespace wq::sync {
namespace {

template <class Decode, class Add>
Status add_each(const SignedList& list, std::set<crypto::Hash>& known, Decode decode, Add add) {
  for (const weiquan::v1::Signed& wire : list) {
    auto decoded = decode(wire);
    if (!decoded) return decoded.error();
    const crypto::Hash id = crypto::blake2b_256(decoded->body);
    if (known.contains(id)) continue;
    if (add(*decoded)) known.insert(id);
  }
  return {};
}

}  // namespace

TrustBundle trust_bundle(const crypto::TrustStore& trust, std::set<std::string> nodes) {
  const auto certificates = trust.certificates();
  // Issuers of issuers, until nothing new turns up (a renewed issuer certificate may name another
  // issuer than the one before it).
  for (bool grown = true; grown;) {
    grown = false;
    for (const crypto::SignedCertificate* cert : certificates) {
      if (nodes.contains(cert->cert.node_id)) grown |= nodes.insert(cert->cert.issuer).second;
    }
  }
  TrustBundle bundle;
  for (const crypto::SignedCertificate* cert : certificates) {
    if (nodes.contains(cert->cert.node_id) && cert->cert.node_id != trust.anchor_id()) {
      bundle.certificates.push_back(cert);
    }
  }
  for (const crypto::SignedRevocation* revocation : trust.revocations()) {
    if (nodes.contains(revocation->revocation.node_id)) bundle.revocations.push_back(revocation);
  }
  return bundle;
}

void add_to(const TrustBundle& bundle, SignedList* certificates, SignedList* revocations) {
  for (const crypto::SignedCertificate* cert : bundle.certificates) {
    *certificates->Add() = to_wire(*cert);
  }
  if (revocations == nullptr) return;
  for (const crypto::SignedRevocation* revocation : bundle.revocations) {
    *revocations->Add() = to_wire(*revocation);
  }
}

Status add_received(Store& store, const SignedList& certificates, const SignedList& revocations,
                    std::set<crypto::Hash>& known) {
  if (Status ok = add_each(
          certificates, known,
          [](const weiquan::v1::Signed& wire) { return decode_certificate(wire); },
          [&](const crypto::SignedCertificate& cert) { return store.add_certificate(cert).ok(); });
      !ok) {
    return ok;
  }
  return add_each(
      revocations, known, [](const weiquan::v1::Signed& wire) { return decode_revocation(wire); },
      [&](const crypto::SignedRevocation& revocation) {
        return store.add_revocation(revocation).ok();
      });
}

}  // namespace wq::sync

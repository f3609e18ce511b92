// Private to sync/: the certificates and revocations that travel with envelopes and acks, so that a
// receiver can verify what they carry without asking anyone (protocol.md §11).
#pragma once

#include <google/protobuf/repeated_ptr_field.h>

#include <set>
#include <string>
#include <vector>

#include "weiquan/crypto/certificate.h"
#include "weiquan/result.h"
#include "weiquan/sync/store.h"
#include "weiquan/v1/weiquan.pb.h"

namespace wq::sync {

using SignedList = google::protobuf::RepeatedPtrField<weiquan::v1::Signed>;

// Every certificate `trust` holds of `nodes` and of their issuers up to, not including, the anchor,
// in the trust store's order (issuers first), and every revocation of those nodes' certificates.
struct TrustBundle {
  std::vector<const crypto::SignedCertificate*> certificates;
  std::vector<const crypto::SignedRevocation*> revocations;
};

TrustBundle trust_bundle(const crypto::TrustStore& trust, std::set<std::string> nodes);

// Appends the bundle's wire forms to a message's fields; revocations only when `revocations` is
// not null (an ack carries certificates only).
void add_to(const TrustBundle& bundle, SignedList* certificates, SignedList* revocations);

// Adds received certificates, then revocations, to the store, skipping bodies in `known` (those
// added before) and remembering the ones it adds. A certificate or revocation that decodes but is
// not admitted (an unknown issuer, a bad signature) is left out: what depends on it then fails to
// verify. Fails only when one does not decode (sync.malformed, sync.bad_certificate, ...).
Status add_received(Store& store, const SignedList& certificates, const SignedList& revocations,
                    std::set<crypto::Hash>& known);

}  // namespace wq::sync

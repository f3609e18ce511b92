// Certificate codec (ADR 0001): the Protobuf bytes of node certificates and revocations.
//
// Issuing builds a CertificateBody (RevocationBody) from the struct, serializes it exactly once and
// signs those bytes with Domain::certificate (Domain::revocation) under the issuer's key. The
// result carries the decoded struct, the exact bytes and the signature; `to_wire` wraps it in a
// `weiquan.v1.Signed` whose signer is the issuer. Decoding parses a received `Signed`, refuses
// unknown fields and checks every field's form (version 1, node id and region match the level,
// 32-byte keys, a non-empty validity window, signer = issuer). Decoding does NOT check the
// signature: that needs the issuer's key and is the job of crypto::TrustStore::add.
//
// Thread safety: pure functions.
// Failure codes: sync.too_large, sync.malformed, sync.unknown_fields, sync.bad_certificate,
// sync.bad_revocation.
#pragma once

#include <cstdint>
#include <string_view>

#include "weiquan/crypto/certificate.h"
#include "weiquan/crypto/keys.h"
#include "weiquan/result.h"
#include "weiquan/v1/weiquan.pb.h"

namespace wq::sync {

inline constexpr std::size_t kMaxCertificateBytes = 4 * 1024;
inline constexpr std::size_t kMaxRevocationBytes = 4 * 1024;

// Signs `cert` (whose `issuer` names the signer) with the issuer's key. Fails with
// sync.bad_certificate when the struct itself is not well formed.
Result<crypto::SignedCertificate> issue_certificate(const crypto::Certificate& cert,
                                                    const crypto::SigningKeyPair& issuer_key);

// The self-signed certificate of the national node "cn": issuer = node id = region = "cn", signed
// by the trust anchor key (`keys.sign`), valid in [not_before_ms, not_after_ms).
Result<crypto::SignedCertificate> issue_anchor_certificate(const crypto::NodeKeys& keys,
                                                           std::int64_t not_before_ms,
                                                           std::int64_t not_after_ms,
                                                           std::uint64_t serial);

Result<crypto::SignedRevocation> issue_revocation(const crypto::Revocation& revocation,
                                                  const crypto::SigningKeyPair& issuer_key);

Result<crypto::SignedCertificate> decode_certificate(const weiquan::v1::Signed& wire);
Result<crypto::SignedCertificate> decode_certificate(crypto::ByteView body,
                                                     crypto::ByteView signature,
                                                     std::string_view signer);

Result<crypto::SignedRevocation> decode_revocation(const weiquan::v1::Signed& wire);
Result<crypto::SignedRevocation> decode_revocation(crypto::ByteView body,
                                                   crypto::ByteView signature,
                                                   std::string_view signer);

weiquan::v1::Signed to_wire(const crypto::SignedCertificate& cert);
weiquan::v1::Signed to_wire(const crypto::SignedRevocation& revocation);

}  // namespace wq::sync

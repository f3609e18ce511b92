#include "weiquan/sync/certificate_codec.h"

#include <string>

#include "enums.h"
#include "proto_util.h"
#include "weiquan/crypto/signing.h"
#include "weiquan/sync/node_id.h"

namespace wq::sync {
namespace {

constexpr std::size_t kMaxReasonBytes = 1024;
constexpr std::string_view kNationalId = "cn";

Error bad_certificate(const std::string& node_id, std::string_view why) {
  return make_error("sync.bad_certificate",
                    "certificate of \"" + node_id.substr(0, 16) + "\": " + std::string(why));
}

Error bad_revocation(const std::string& node_id, std::string_view why) {
  return make_error("sync.bad_revocation",
                    "revocation of \"" + node_id.substr(0, 16) + "\": " + std::string(why));
}

Status check_certificate(const crypto::Certificate& cert) {
  if (cert.version != kWireVersion) return bad_certificate(cert.node_id, "version is not 1");
  if (!valid_node_id(cert.node_id)) return bad_certificate(cert.node_id, "node id is malformed");
  if (node_region(cert.node_id) != cert.region) {
    return bad_certificate(cert.node_id, "node id does not name its region");
  }
  if (region_level(cert.region) != cert.level) {
    return bad_certificate(cert.node_id, "region does not match the level");
  }
  if (!valid_node_id(cert.issuer)) return bad_certificate(cert.node_id, "issuer is malformed");
  if ((cert.issuer == cert.node_id) !=
      (cert.level == crypto::Level::national && cert.node_id == cert.region)) {
    return bad_certificate(cert.node_id, "only the national anchor certificate is self-signed");
  }
  if (cert.not_before_ms >= cert.not_after_ms) {
    return bad_certificate(cert.node_id, "validity window is empty");
  }
  if (cert.serial == 0) return bad_certificate(cert.node_id, "serial is 0");
  return {};
}

Status check_revocation(const crypto::Revocation& revocation) {
  if (revocation.version != kWireVersion) {
    return bad_revocation(revocation.node_id, "version is not 1");
  }
  if (!valid_node_id(revocation.node_id) || !valid_node_id(revocation.issuer)) {
    return bad_revocation(revocation.node_id, "node id or issuer is malformed");
  }
  if (revocation.serial == 0) return bad_revocation(revocation.node_id, "serial is 0");
  if (revocation.revoked_at_ms <= 0) {
    return bad_revocation(revocation.node_id, "revocation time is not positive");
  }
  if (revocation.reason.size() > kMaxReasonBytes) {
    return bad_revocation(revocation.node_id, "reason is too long");
  }
  return {};
}

weiquan::v1::CertificateBody to_body(const crypto::Certificate& cert) {
  weiquan::v1::CertificateBody body;
  body.set_version(cert.version);
  body.set_node_id(cert.node_id);
  body.set_level(to_wire(cert.level));
  body.set_region(cert.region);
  body.set_sign_key(cert.sign_key.data(), cert.sign_key.size());
  body.set_box_key(cert.box_key.data(), cert.box_key.size());
  body.set_not_before_ms(cert.not_before_ms);
  body.set_not_after_ms(cert.not_after_ms);
  body.set_serial(cert.serial);
  body.set_issuer(cert.issuer);
  return body;
}

weiquan::v1::RevocationBody to_body(const crypto::Revocation& revocation) {
  weiquan::v1::RevocationBody body;
  body.set_version(revocation.version);
  body.set_issuer(revocation.issuer);
  body.set_node_id(revocation.node_id);
  body.set_serial(revocation.serial);
  body.set_revoked_at_ms(revocation.revoked_at_ms);
  body.set_reason(revocation.reason);
  return body;
}

Result<crypto::Certificate> from_body(const weiquan::v1::CertificateBody& body) {
  crypto::Certificate cert;
  cert.version = body.version();
  cert.node_id = body.node_id();
  const auto level = from_wire(body.level());
  if (!level) return bad_certificate(cert.node_id, "level is unspecified");
  cert.level = *level;
  cert.region = body.region();
  auto sign_key = crypto::to_array<32>(crypto::as_bytes(body.sign_key()));
  auto box_key = crypto::to_array<32>(crypto::as_bytes(body.box_key()));
  if (!sign_key || !box_key) return bad_certificate(cert.node_id, "keys must be 32 bytes");
  cert.sign_key = *sign_key;
  cert.box_key = *box_key;
  cert.not_before_ms = body.not_before_ms();
  cert.not_after_ms = body.not_after_ms();
  cert.serial = body.serial();
  cert.issuer = body.issuer();
  return cert;
}

crypto::Revocation from_body(const weiquan::v1::RevocationBody& body) {
  crypto::Revocation revocation;
  revocation.version = body.version();
  revocation.issuer = body.issuer();
  revocation.node_id = body.node_id();
  revocation.serial = body.serial();
  revocation.revoked_at_ms = body.revoked_at_ms();
  revocation.reason = body.reason();
  return revocation;
}

}  // namespace

Result<crypto::SignedCertificate> issue_certificate(const crypto::Certificate& cert,
                                                    const crypto::SigningKeyPair& issuer_key) {
  if (Status ok = check_certificate(cert); !ok) return ok.error();
  crypto::SignedCertificate signed_cert{cert, serialize(to_body(cert)), {}};
  signed_cert.signature = crypto::sign(issuer_key, crypto::Domain::certificate, signed_cert.body);
  return signed_cert;
}

Result<crypto::SignedCertificate> issue_anchor_certificate(const crypto::NodeKeys& keys,
                                                           std::int64_t not_before_ms,
                                                           std::int64_t not_after_ms,
                                                           std::uint64_t serial) {
  const crypto::Certificate cert{.version = kWireVersion,
                                 .node_id = std::string(kNationalId),
                                 .level = crypto::Level::national,
                                 .region = std::string(kNationalId),
                                 .sign_key = keys.sign.public_key,
                                 .box_key = keys.box.public_key,
                                 .not_before_ms = not_before_ms,
                                 .not_after_ms = not_after_ms,
                                 .serial = serial,
                                 .issuer = std::string(kNationalId)};
  return issue_certificate(cert, keys.sign);
}

Result<crypto::SignedRevocation> issue_revocation(const crypto::Revocation& revocation,
                                                  const crypto::SigningKeyPair& issuer_key) {
  if (Status ok = check_revocation(revocation); !ok) return ok.error();
  crypto::SignedRevocation signed_revocation{revocation, serialize(to_body(revocation)), {}};
  signed_revocation.signature =
      crypto::sign(issuer_key, crypto::Domain::revocation, signed_revocation.body);
  return signed_revocation;
}

Result<crypto::SignedCertificate> decode_certificate(crypto::ByteView body,
                                                     crypto::ByteView signature,
                                                     std::string_view signer) {
  weiquan::v1::CertificateBody parsed;
  if (Status ok = parse_strict(body, kMaxCertificateBytes, "certificate", parsed); !ok) {
    return ok.error();
  }
  auto sig = signature_from(signature);
  if (!sig) return sig.error();
  auto cert = from_body(parsed);
  if (!cert) return cert.error();
  if (Status ok = check_certificate(*cert); !ok) return ok.error();
  if (cert->issuer != signer) return bad_certificate(cert->node_id, "signer is not the issuer");
  return crypto::SignedCertificate{std::move(*cert), crypto::Bytes(body.begin(), body.end()), *sig};
}

Result<crypto::SignedCertificate> decode_certificate(const weiquan::v1::Signed& wire) {
  return decode_certificate(crypto::as_bytes(wire.body()), crypto::as_bytes(wire.signature()),
                            wire.signer());
}

Result<crypto::SignedRevocation> decode_revocation(crypto::ByteView body,
                                                   crypto::ByteView signature,
                                                   std::string_view signer) {
  weiquan::v1::RevocationBody parsed;
  if (Status ok = parse_strict(body, kMaxRevocationBytes, "revocation", parsed); !ok) {
    return ok.error();
  }
  auto sig = signature_from(signature);
  if (!sig) return sig.error();
  crypto::Revocation revocation = from_body(parsed);
  if (Status ok = check_revocation(revocation); !ok) return ok.error();
  if (revocation.issuer != signer) {
    return bad_revocation(revocation.node_id, "signer is not the issuer");
  }
  return crypto::SignedRevocation{std::move(revocation), crypto::Bytes(body.begin(), body.end()),
                                  *sig};
}

Result<crypto::SignedRevocation> decode_revocation(const weiquan::v1::Signed& wire) {
  return decode_revocation(crypto::as_bytes(wire.body()), crypto::as_bytes(wire.signature()),
                           wire.signer());
}

weiquan::v1::Signed to_wire(const crypto::SignedCertificate& cert) {
  return wrap_signed(cert.body, cert.signature, cert.cert.issuer);
}

weiquan::v1::Signed to_wire(const crypto::SignedRevocation& revocation) {
  return wrap_signed(revocation.body, revocation.signature, revocation.revocation.issuer);
}

}  // namespace wq::sync

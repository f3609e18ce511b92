#include "node_certificates.h"

#include "weiquan/sync/certificate_codec.h"

namespace wq::testing {

Result<crypto::SignedCertificate> anchor_certificate(const crypto::NodeKeys& keys) {
  return sync::issue_anchor_certificate(keys, kCertificateFrom, kCertificateUntil, 1);
}

Result<crypto::SignedCertificate> node_certificate(const std::string& id, crypto::Level level,
                                                   const crypto::NodeKeys& keys,
                                                   const std::string& issuer,
                                                   const crypto::SigningKeyPair& issuer_key) {
  crypto::Certificate cert;
  cert.node_id = id;
  cert.level = level;
  cert.region = id;
  cert.sign_key = keys.sign.public_key;
  cert.box_key = keys.box.public_key;
  cert.not_before_ms = kCertificateFrom;
  cert.not_after_ms = kCertificateUntil;
  cert.serial = 1;
  cert.issuer = issuer;
  return sync::issue_certificate(cert, issuer_key);
}

}  // namespace wq::testing

#include "weiquan/sync/envelope_codec.h"

#include <string>
#include <string_view>

#include "proto_util.h"
#include "weiquan/crypto/signing.h"
#include "weiquan/sync/node_id.h"
#include "weiquan/sync/transport.h"

namespace wq::sync {
namespace {

// The addressing fields envelopes and acks share.
template <class Body>
Status check_addressing(const Body& body, std::string_view signer, std::string_view code,
                        std::string_view what) {
  const auto fail = [&](std::string_view why) {
    return make_error(std::string(code), std::string(what) + ": " + std::string(why));
  };
  if (body.version() != kWireVersion) {
    return make_error("sync.bad_version", std::string(what) + " version is not 1");
  }
  if (!valid_node_id(body.origin())) return fail("origin is not a node id");
  if (!valid_node_id(body.destination())) return fail("destination is not a node id");
  if (signer != body.origin()) return fail("signer is not the origin");
  if (body.nonce() == 0) return fail("no nonce");
  return {};
}

Status check(const weiquan::v1::EnvelopeBody& body, std::string_view signer) {
  if (Status ok = check_addressing(body, signer, "sync.bad_envelope", "envelope"); !ok) return ok;
  if (body.sent_at_ms() <= 0) {
    return make_error("sync.bad_envelope", "envelope: sending time is not positive");
  }
  return {};
}

Status check(const weiquan::v1::AckBody& body, std::string_view signer) {
  return check_addressing(body, signer, "sync.bad_ack", "ack");
}

template <class Body>
crypto::Bytes encode(const Body& body, crypto::Domain domain, const crypto::SigningKeyPair& key) {
  const crypto::Bytes bytes = serialize(body);
  return serialize(wrap_signed(bytes, crypto::sign(key, domain, bytes), body.origin()));
}

template <class Body>
Result<SignedMessage<Body>> decode(crypto::ByteView payload, std::string_view what) {
  weiquan::v1::Signed wire;
  if (Status ok = parse_strict(payload, kMaxTransportPayload, what, wire); !ok) return ok.error();
  SignedMessage<Body> message;
  const crypto::ByteView body = crypto::as_bytes(wire.body());
  if (Status ok = parse_strict(body, kMaxTransportPayload, what, message.body); !ok) {
    return ok.error();
  }
  auto signature = signature_from(crypto::as_bytes(wire.signature()));
  if (!signature) return signature.error();
  if (Status ok = check(message.body, wire.signer()); !ok) return ok.error();
  message.body_bytes.assign(body.begin(), body.end());
  message.signature = *signature;
  message.signer = wire.signer();
  return message;
}

template <class Body>
Status verify(const SignedMessage<Body>& message, crypto::Domain domain,
              const crypto::TrustStore& trust, std::int64_t at_ms) {
  auto cert = trust.verify_chain(message.signer, at_ms);
  if (!cert) return cert.error();
  if (!crypto::verify((*cert)->cert.sign_key, domain, message.body_bytes, message.signature)) {
    return make_error("sync.bad_signature", std::string(crypto::domain_tag(domain)) + " of " +
                                                message.signer + " does not verify");
  }
  return {};
}

}  // namespace

crypto::Bytes encode_envelope(const weiquan::v1::EnvelopeBody& body,
                              const crypto::SigningKeyPair& key) {
  return encode(body, crypto::Domain::envelope, key);
}

crypto::Bytes encode_ack(const weiquan::v1::AckBody& body, const crypto::SigningKeyPair& key) {
  return encode(body, crypto::Domain::ack, key);
}

Result<Envelope> decode_envelope(crypto::ByteView payload) {
  return decode<weiquan::v1::EnvelopeBody>(payload, "envelope");
}

Result<Ack> decode_ack(crypto::ByteView payload) {
  return decode<weiquan::v1::AckBody>(payload, "ack");
}

Status verify_envelope(const Envelope& envelope, const crypto::TrustStore& trust) {
  return verify(envelope, crypto::Domain::envelope, trust, envelope.body.sent_at_ms());
}

Status verify_ack(const Ack& ack, const crypto::TrustStore& trust, std::int64_t at_ms) {
  return verify(ack, crypto::Domain::ack, trust, at_ms);
}

}  // namespace wq::sync

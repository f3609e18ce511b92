// Envelope and ack codec: the two signed messages replication exchanges (protocol.md §11).
//
// An envelope (EnvelopeBody, Domain::envelope) carries a batch of signed events from its origin to
// one destination, with the certificates and revocations a receiver needs to verify them; the ack
// (AckBody, Domain::ack) is the destination's answer, one result per event. Each body is
// serialized exactly once and signed; the transport payload is the serialized Signed wrapper, whose
// signer is the body's origin.
//
// Decoding a payload checks, in order: its size (at most kMaxTransportPayload), that the wrapper
// and the body parse with no unknown field or enum value at any depth, a 64-byte signature,
// version 1, origin and destination node ids, signer == origin, a nonce above 0, and for an
// envelope a positive sent_at_ms. It does NOT verify the signature or decode the carried events
// and certificates: verify_envelope checks the signature under the origin's certificate trusted at
// sent_at_ms, verify_ack under the acker's certificate trusted at a time the caller names (an ack
// carries no time of its own).
//
// Ownership: Envelope and Ack are self-contained values. Thread safety: pure functions.
// Failure codes: sync.too_large, sync.malformed, sync.unknown_fields, sync.bad_version,
// sync.bad_envelope, sync.bad_ack; verifying: sync.bad_signature and the crypto.* codes of the
// signer's certificate chain (crypto.unknown_node, crypto.cert_revoked, ...).
#pragma once

#include <cstdint>
#include <string>

#include "weiquan/crypto/bytes.h"
#include "weiquan/crypto/certificate.h"
#include "weiquan/crypto/keys.h"
#include "weiquan/result.h"
#include "weiquan/v1/weiquan.pb.h"

namespace wq::sync {

// A decoded Signed wrapper around a body of type `Body`.
template <class Body>
struct SignedMessage {
  Body body;                 // decoded from body_bytes
  crypto::Bytes body_bytes;  // exact signed bytes
  crypto::Signature signature{};
  std::string signer;  // = body.origin()
};

using Envelope = SignedMessage<weiquan::v1::EnvelopeBody>;
using Ack = SignedMessage<weiquan::v1::AckBody>;

// The payload of `body` signed by `key` (signer: body.origin()). The caller fills every field.
crypto::Bytes encode_envelope(const weiquan::v1::EnvelopeBody& body,
                              const crypto::SigningKeyPair& key);
crypto::Bytes encode_ack(const weiquan::v1::AckBody& body, const crypto::SigningKeyPair& key);

Result<Envelope> decode_envelope(crypto::ByteView payload);
Result<Ack> decode_ack(crypto::ByteView payload);

Status verify_envelope(const Envelope& envelope, const crypto::TrustStore& trust);
Status verify_ack(const Ack& ack, const crypto::TrustStore& trust, std::int64_t at_ms);

}  // namespace wq::sync

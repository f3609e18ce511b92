// Event codec: authoring and decoding the signed events of a ticket's chain.
//
// Authoring takes an EventBody the caller filled completely (version, ticket id, seq, prev_hash,
// author, actor, time, kind), serializes it exactly once and signs the bytes with Domain::event.
// The event id is BLAKE2b-256 of those body bytes (never of the signature); the next event's
// prev_hash is that same value.
//
// Decoding a received event checks, in order: sizes (body at most kMaxEventBodyBytes, signature 64
// bytes, signer a node id), that the bytes parse as an EventBody, that no unknown field occurs at
// any depth, version 1, a well-formed ticket id, seq >= 1, prev_hash empty iff seq == 1 and
// otherwise 32 bytes, author a node id equal to the envelope's signer, an actor with a role, a
// positive time, a kind set (the first event is `submitted`, written by the ticket id's intake
// node, and `submitted` occurs nowhere else), and the fields each kind needs to derive the ticket's
// holder and type. Decoding does NOT verify the signature (that needs the author's certificate at
// the event's time, see Store::apply and verify_signature below).
//
// Ownership: SignedEvent is a self-contained value (decoded body, exact bytes, signature, id).
// Thread safety: pure functions.
// Failure codes: sync.too_large, sync.malformed, sync.unknown_fields, sync.bad_version,
// sync.bad_ticket_id, sync.bad_seq, sync.bad_prev_hash, sync.bad_author, sync.bad_signature.
#pragma once

#include <cstdint>
#include <string_view>

#include "weiquan/crypto/bytes.h"
#include "weiquan/crypto/keys.h"
#include "weiquan/result.h"
#include "weiquan/v1/weiquan.pb.h"

namespace wq::sync {

inline constexpr std::size_t kMaxEventBodyBytes = 256 * 1024;

using EventId = crypto::Hash;

struct SignedEvent {
  weiquan::v1::EventBody body;  // decoded from body_bytes
  crypto::Bytes body_bytes;     // exact signed bytes
  crypto::Signature signature{};
  EventId id{};  // BLAKE2b-256(body_bytes)

  const std::string& ticket_id() const { return body.ticket_id(); }
  std::uint64_t seq() const { return body.seq(); }
  const std::string& author() const { return body.author(); }
  // The name of the `kind` oneof field set ("submitted", "routed", ...).
  std::string_view kind() const;
};

// The oneof field name of the kind set in `body`, or "" when none is set.
std::string_view kind_name(const weiquan::v1::EventBody& body);

// Serializes `body` once, validates it exactly as decode_event would and signs it with `key`.
Result<SignedEvent> author_event(weiquan::v1::EventBody body, const crypto::SigningKeyPair& key);

// author_event in two steps, so that a writer can chain many events first and sign them on several
// threads: the validated event with its body bytes and id but no signature yet, then its signature.
Result<SignedEvent> encode_event(weiquan::v1::EventBody body);
void sign_event(SignedEvent& event, const crypto::SigningKeyPair& key);

Result<SignedEvent> decode_event(const weiquan::v1::Signed& wire);
Result<SignedEvent> decode_event(crypto::ByteView body, crypto::ByteView signature,
                                 std::string_view signer);

weiquan::v1::Signed to_wire(const SignedEvent& event);

// sync.bad_signature unless `event.signature` is valid over its body bytes under `author_key`.
Status verify_signature(const SignedEvent& event, const crypto::PublicKey& author_key);

}  // namespace wq::sync

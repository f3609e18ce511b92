// Supervision requests (protocol.md §15): an ancestor office asks the holder of a ticket to append
// `urged` (催办) or `supervised` (督办). The asking office serializes a SupervisionBody once and
// signs those bytes (crypto::Domain::supervision); the holder decodes and verifies them here before
// it appends anything (supervision_desk.h). A request's id is the BLAKE2b-256 of its body bytes;
// the event the holder appends carries it, so the same request appends once.
//
// Decoding checks the form: the body's size (kMaxSupervisionBytes), parsing with no unknown field,
// a 64-byte signature, version 1, a ticket id, kind urge or supervise, from_node and to_node node
// ids with signer = from_node, an actor who is an officer or a supervisor (a supervisor to
// supervise) with an account id and a name, a note within the limits of the same step taken
// locally, and time_ms > 0. Verifying checks it against what the holder knows: it is addressed to
// the holder, its time lies within kSupervisionSkewMs of the holder's clock, the signature verifies
// under from_node's certificate trusted at time_ms, and from_node is a strict ancestor of the
// holder by certificate chain (an issuer on the holder's chain, never the holder itself).
//
// Ownership: Supervision is a self-contained value. Thread safety: pure functions.
// Failure codes: federation.bad_supervision (the form), federation.wrong_destination,
// federation.stale_request, federation.not_ancestor, sync.bad_signature, and the crypto.* codes of
// from_node's certificate chain (crypto.unknown_node, crypto.cert_revoked, ...).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "weiquan/crypto/bytes.h"
#include "weiquan/crypto/certificate.h"
#include "weiquan/crypto/hash.h"
#include "weiquan/crypto/keys.h"
#include "weiquan/result.h"
#include "weiquan/v1/weiquan.pb.h"

namespace wq::federation {

inline constexpr std::size_t kMaxSupervisionBytes = 4 * 1024;
// How far a request's time_ms may lie from the holder's clock, either way. The asking office
// waits 2 × this for the answer (supervision_client.h), so once it has given up the holder refuses
// the request for being stale, as long as the two clocks differ by less than this.
inline constexpr std::int64_t kSupervisionSkewMs = 5'000;
inline constexpr std::size_t kMaxSupervisionNoteCharacters = 500;  // as `note` of a local urge
inline constexpr std::size_t kMaxActorIdCharacters = 40;
inline constexpr std::size_t kMaxActorNameCharacters = 100;

struct Supervision {
  weiquan::v1::SupervisionBody body;  // decoded from body_bytes
  crypto::Bytes body_bytes;           // exact signed bytes
  crypto::Signature signature{};
  crypto::Hash id{};  // BLAKE2b-256(body_bytes): the request id
};

// Serializes `body` once and signs it with `key`, which must be from_node's. The caller fills
// every field; decode_supervision tells whether they are well formed.
Supervision sign_supervision(const weiquan::v1::SupervisionBody& body,
                             const crypto::SigningKeyPair& key);

// The wire wrapper: body bytes, signature and signer (from_node).
weiquan::v1::Signed to_wire(const Supervision& supervision);

Result<Supervision> decode_supervision(const weiquan::v1::Signed& wire);

// Whether `holder` (this node, at its clock `now_ms`) may act on the request.
Status verify_supervision(const Supervision& supervision, const crypto::TrustStore& trust,
                          std::string_view holder, std::int64_t now_ms);

}  // namespace wq::federation

// Heartbeat codec: a node's signed report of its health (protocol.md §14).
//
// encode_heartbeat serializes a HeartbeatBody exactly once, signs those bytes with
// Domain::heartbeat under the reporting node's key and wraps them in a `weiquan.v1.Signed` whose
// signer is the body's node_id. decode_heartbeat parses a received wrapper strictly: the body at
// most kMaxHeartbeatBytes, no unknown field or enum value, a 64-byte signature, version 1, node ids
// where node ids belong, signer = node_id, sent_at_ms > 0, at most kMaxHeartbeatPeers peers. It
// does NOT verify the signature: that needs the signer's certificate (HealthBook::accept).
//
// Ownership: Heartbeat is a self-contained value. Thread safety: pure functions.
// Failure codes: federation.bad_heartbeat (too large, does not parse, unknown content or a field
// rule fails; the message says which).
#pragma once

#include <cstddef>

#include "weiquan/crypto/keys.h"
#include "weiquan/result.h"
#include "weiquan/sync/envelope_codec.h"
#include "weiquan/v1/weiquan.pb.h"

namespace wq::federation {

inline constexpr std::size_t kMaxHeartbeatBytes = 64 * 1024;
inline constexpr int kMaxHeartbeatPeers = 256;

// A decoded heartbeat: the body, its exact signed bytes, the signature and the signer.
using Heartbeat = sync::SignedMessage<weiquan::v1::HeartbeatBody>;

// The wire form of `body` signed by `key`; the caller fills every field (node_id names the key's
// node, at most kMaxHeartbeatPeers peers).
weiquan::v1::Signed encode_heartbeat(const weiquan::v1::HeartbeatBody& body,
                                     const crypto::SigningKeyPair& key);

Result<Heartbeat> decode_heartbeat(const weiquan::v1::Signed& wire);

}  // namespace wq::federation

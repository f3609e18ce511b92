// Private to federation/: a protobuf message as the bytes a Transport carries. One helper for the
// exchanges (directory, heartbeats, reports, supervision) that each put a message on the wire.
//
// Thread safety: a pure function. Failures: none (a message that cannot be serialized, past 2 GiB,
// is bounded long before by the exchanges' size budgets).
#pragma once

#include <google/protobuf/message_lite.h>

#include "weiquan/sync/transport.h"

namespace wq::federation {

inline sync::Transport::Bytes serialized(const google::protobuf::MessageLite& message) {
  sync::Transport::Bytes bytes(message.ByteSizeLong());
  message.SerializeToArray(bytes.data(), static_cast<int>(bytes.size()));
  return bytes;
}

}  // namespace wq::federation

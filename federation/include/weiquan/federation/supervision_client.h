// Sending a supervision request to the holder of a ticket and reading its answer (protocol.md §15).
// The request is an RpcRequest of kind `supervision` on the holder's rpc channel; the answer a
// SupervisionReply. The asker waits kSupervisionTimeout, twice the holder's freshness bound
// (supervision.h), so a request it has given up on is refused as stale if it arrives later.
//
// Outcomes of `done`: the holder appended the event (APPLIED) or had appended it before
// (DUPLICATE), with its seq; or an error — the holder's own code when it refused (sync.not_holder,
// federation.not_ancestor, policies.forbidden_transition, ...), federation.unreachable when no
// answer came (the transport's sync.timeout or sync.unreachable), federation.bad_supervision_reply
// when the answer does not parse or answers another request.
//
// Threads: call from any thread; `done` runs once, on the transport's thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "weiquan/federation/supervision.h"
#include "weiquan/result.h"
#include "weiquan/sync/transport.h"

namespace wq::federation {

inline constexpr std::chrono::milliseconds kSupervisionTimeout{2 * kSupervisionSkewMs};

struct SupervisionAnswer {
  bool duplicate = false;  // the holder had appended this request before
  std::uint64_t seq = 0;   // the `urged` / `supervised` event at the holder
};

void send_supervision(sync::Transport& transport, const Supervision& request,
                      std::function<void(Result<SupervisionAnswer>)> done);

}  // namespace wq::federation

// SupervisionDesk: the holder's side of supervision requests (protocol.md §15). sync::RpcServer
// routes the RpcRequests of kind `supervision` here. The desk decodes the request on the
// transport's thread, then, on the thread that owns the store: verifies it (supervision.h:
// addressed here, fresh, signed by an ancestor of this node); checks that this node holds the
// ticket; looks for an `urged` / `supervised` event already carrying the request's id (a replay, or
// a retry whose answer was lost) and answers DUPLICATE with its seq; otherwise appends the event
// through the EventWriter — the asking person as actor, from_node the asking office, the request id
// — where the lifecycle rules (state, role, level), the holder rule and the clocks apply as to a
// local step. The answer is a SupervisionReply: APPLIED or DUPLICATE with the event's seq, or
// REJECTED with the error code, also for a request that does not decode (the asker learns why
// rather than timing out). The event reaches the ancestors by replication like any other.
//
// Threads: handle() on the transport's threads; `with_writer` runs work on the writer thread, where
// the store is used. counters() from any thread.
// Ownership: the desk must outlive the requests handed to it (the node keeps it until its writer
// has stopped).
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

#include "weiquan/sync/event_writer.h"
#include "weiquan/sync/store.h"
#include "weiquan/sync/transport.h"
#include "weiquan/v1/weiquan.pb.h"

namespace wq::federation {

struct SupervisionCounters {
  std::uint64_t applied = 0;
  std::uint64_t duplicates = 0;
  std::uint64_t refused = 0;
  std::string last_refused;  // code of the last refusal, "" before any
};

class SupervisionDesk {
 public:
  using WithWriter = std::function<void(std::function<void(sync::Store&, sync::EventWriter&)>)>;

  SupervisionDesk(std::string self, WithWriter with_writer, std::function<std::int64_t()> now_ms);
  SupervisionDesk(const SupervisionDesk&) = delete;
  SupervisionDesk& operator=(const SupervisionDesk&) = delete;

  void handle(weiquan::v1::RpcRequest request, sync::Transport::Respond respond);

  SupervisionCounters counters() const;

 private:
  weiquan::v1::SupervisionReply refused(weiquan::v1::SupervisionReply reply, const Error& error);

  std::string self_;
  WithWriter with_writer_;
  std::function<std::int64_t()> now_ms_;
  mutable std::mutex mutex_;
  SupervisionCounters counters_;
};

}  // namespace wq::federation

#include "weiquan/sync/chain.h"

#include <algorithm>
#include <string>

namespace wq::sync {
namespace {

Error link_error(std::string code, const SignedEvent& event, std::string_view why) {
  return make_error(std::move(code), "event " + event.ticket_id() + " seq " +
                                         std::to_string(event.seq()) + ": " + std::string(why));
}

bool equal(const EventId& id, const std::string& bytes) {
  return bytes.size() == id.size() &&
         std::equal(id.begin(), id.end(), bytes.begin(),
                    [](std::uint8_t a, char b) { return a == static_cast<std::uint8_t>(b); });
}

}  // namespace

Status check_next(std::uint64_t last_seq, const EventId& head, const SignedEvent& next) {
  if (next.seq() != last_seq + 1) {
    return link_error("sync.seq_gap", next, "expected seq " + std::to_string(last_seq + 1));
  }
  if (last_seq == 0) {
    if (!next.body.prev_hash().empty()) {
      return link_error("sync.bad_prev_hash", next, "the first event has a prev_hash");
    }
  } else if (!equal(head, next.body.prev_hash())) {
    return link_error("sync.chain_broken", next, "prev_hash is not the previous event's id");
  }
  return {};
}

Status check_first(const SignedEvent& first) {
  return check_next(0, EventId{}, first);
}

Status check_link(const SignedEvent& prev, const SignedEvent& next) {
  if (next.ticket_id() != prev.ticket_id()) {
    return link_error("sync.wrong_ticket", next, "follows an event of " + prev.ticket_id());
  }
  return check_next(prev.seq(), prev.id, next);
}

Status check_chain(std::span<const SignedEvent> events) {
  if (events.empty()) return {};
  if (Status ok = check_first(events.front()); !ok) return ok;
  for (std::size_t i = 1; i < events.size(); ++i) {
    if (Status ok = check_link(events[i - 1], events[i]); !ok) return ok;
  }
  return {};
}

}  // namespace wq::sync

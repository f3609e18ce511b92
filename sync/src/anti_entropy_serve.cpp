// AntiEntropy, serving side: compares an asker's ticket heads with this node's, enqueues what the
// asker lacks and answers what this node lacks.
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "anti_entropy_core.h"
#include "proto_util.h"
#include "weiquan/sync/node_id.h"
#include "weiquan/sync/ticket_id.h"

namespace wq::sync {
namespace {

using weiquan::v1::AntiEntropyRequest;
using weiquan::v1::TicketHead;

bool valid_bound(const std::string& id) {
  return id.empty() || parse_ticket_id(id).ok();
}

// The request's range and heads are well formed: ids of tickets, heads in id order within the
// range, each a seq with a 32-byte event id.
bool well_formed(const AntiEntropyRequest& request) {
  const std::string& after = request.after_id();
  const std::string& until = request.until_id();
  if (!valid_bound(after) || !valid_bound(until) || (!until.empty() && until <= after) ||
      static_cast<std::size_t>(request.heads_size()) > kMaxTicketQueryLimit) {
    return false;
  }
  std::string_view previous = after;
  for (const TicketHead& head : request.heads()) {
    if (!parse_ticket_id(head.ticket_id()) || head.ticket_id() <= previous ||
        !in_range(head.ticket_id(), after, until) || head.last_seq() == 0 ||
        head.head().size() != EventId{}.size()) {
      return false;
    }
    previous = head.ticket_id();
  }
  return true;
}

// The ticket names a node in `asker`'s region or below it: its intake node, holder or a past
// holder. Node ids are region codes, so the asker's subtree is every region it prefixes.
bool names_subtree(const Ticket& ticket, const std::string& asker) {
  const std::string_view region = node_region(asker);
  if (region == "cn") return true;
  const auto within = [region](const std::string& node) {
    return node_region(node).starts_with(region);
  };
  if (within(ticket.intake_node) || within(ticket.holder)) return true;
  for (const std::string& holder : ticket.holders) {
    if (within(holder)) return true;
  }
  return false;
}

TicketHead head_of(const std::string& ticket_id, std::uint64_t seq, const EventId& id) {
  TicketHead head;
  head.set_ticket_id(ticket_id);
  head.set_last_seq(seq);
  head.set_head(id.data(), id.size());
  return head;
}

}  // namespace

void AntiEntropy::Core::serve(const weiquan::v1::RpcRequest& request,
                              const Transport::Respond& respond) {
  const AntiEntropyRequest& asked = request.anti_entropy();
  const std::string& asker = request.origin();
  if (asker == options.self || !well_formed(asked)) {
    update([&] { ++status.requests_dropped; });
    return;  // no answer: the asker times out
  }
  const auto store_failed = [this] { update([&] { ++status.requests_dropped; }); };

  TicketQuery query;
  query.after_id = asked.after_id();
  query.limit = page_size();
  auto own = store.reader().tickets(query);
  if (!own) return store_failed();
  // A full page of this node's tickets that ends before the asked range does sets the end of what
  // this answer covers.
  std::string covered = asked.until_id();
  if (own->size() == query.limit && (covered.empty() || own->back().id < covered)) {
    covered = own->back().id;
  }

  std::map<std::string, const TicketHead*> theirs;
  for (const TicketHead& head : asked.heads()) {
    if (in_range(head.ticket_id(), asked.after_id(), covered)) {
      theirs.emplace(head.ticket_id(), &head);
    }
  }
  weiquan::v1::AntiEntropyReply reply;
  reply.set_version(1);
  reply.set_covered_until_id(covered);
  std::vector<OutboxEntry> rows;
  const std::int64_t now = now_ms();
  std::uint64_t compared = 0;
  for (const Ticket& ticket : *own) {
    if (!in_range(ticket.id, asked.after_id(), covered)) continue;
    ++compared;
    const auto found = theirs.find(ticket.id);
    const TicketHead* their = found == theirs.end() ? nullptr : found->second;
    if (found != theirs.end()) theirs.erase(found);
    const std::uint64_t their_seq = their ? their->last_seq() : 0;
    if (their_seq > ticket.last_seq) {
      *reply.add_wanted() = head_of(ticket.id, ticket.last_seq, ticket.head);
      continue;
    }
    // This node's event at the asker's last seq must be the asker's head.
    if (their_seq > 0) {
      EventId mine = ticket.head;
      if (their_seq < ticket.last_seq) {
        auto event = store.reader().event(ticket.id, their_seq);
        if (!event || !*event) return store_failed();
        mine = (*event)->id;
      }
      if (!same_head(mine, their->head())) {
        *reply.add_diverged() = head_of(ticket.id, their_seq, mine);
        diverged(ticket.id);
        continue;
      }
    }
    if (their_seq < ticket.last_seq && names_subtree(ticket, asker)) {
      add_rows(rows, asker, ticket.id, their_seq + 1, ticket.last_seq, now);
    }
  }
  // What the asker holds and this node does not hold at all.
  for (const auto& entry : theirs) {
    ++compared;
    reply.add_wanted()->set_ticket_id(entry.first);
  }
  if (Status ok = store.enqueue(rows); !ok) return store_failed();
  reply.set_rows_enqueued(rows.size());
  update([&] {
    ++status.requests_served;
    status.tickets_served += compared;
    status.rows_for_askers += rows.size();
  });
  respond(serialize(reply));
}

}  // namespace wq::sync

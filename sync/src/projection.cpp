#include "projection.h"

#include <algorithm>
#include <cassert>

#include "enums.h"
#include "rules.h"
#include "weiquan/policies/lifecycle.h"
#include "weiquan/policies/policy_document.h"

namespace wq::sync {
namespace {

using weiquan::v1::EventBody;

// The node that holds the ticket after `body`, or `holder` when the event does not move it.
const std::string& next_holder(const EventBody& body, const std::string& holder) {
  switch (body.kind_case()) {
    case EventBody::kSubmitted:
      return body.author();
    case EventBody::kRouted:
      return body.routed().to_node();
    case EventBody::kTransferred:
      return body.transferred().to_node();
    case EventBody::kAssigned:
      return body.assigned().kind() == weiquan::v1::ASSIGNEE_KIND_STATION
                 ? body.assigned().assignee()
                 : holder;
    default:
      return holder;
  }
}

// Who handles the ticket after `body`: named by `assigned`, nobody once it moves between offices.
void next_assignee(const EventBody& body, Ticket& ticket) {
  switch (body.kind_case()) {
    case EventBody::kAssigned:
      ticket.assignee_kind = assignee_kind_name(body.assigned().kind());
      ticket.assignee = body.assigned().assignee();
      return;
    case EventBody::kRouted:
    case EventBody::kTransferred:
      ticket.assignee_kind.clear();
      ticket.assignee.clear();
      return;
    default:
      return;
  }
}

// The time `body`, the event after `before`, feeds the clocks (see projection.h).
std::int64_t clock_time(const Ticket& before, const EventBody& body) {
  if (body.has_submitted()) return body.submitted().received_at_ms();
  // The holder wrote `body`: the intake node, as long as the ticket has not left it.
  const bool at_intake = before.holder == before.intake_node;
  const bool routed_to_itself =
      body.has_routed() && before.last_seq == 1 && body.routed().to_node() == before.intake_node;
  const bool received_there = body.has_received() && before.last_seq == 2 && at_intake;
  return routed_to_itself || received_there ? before.received_at_ms : body.time_ms();
}

policies::TicketType next_type(const EventBody& body, policies::TicketType type) {
  if (body.has_submitted()) return *from_wire(body.submitted().type());
  if (body.has_type_changed()) return *from_wire(body.type_changed().to());
  return type;
}

bool stopped_late(const policies::ClockBook& clocks) {
  return std::any_of(clocks.clocks().begin(), clocks.clocks().end(), [](const auto& clock) {
    return !clock.running() && clock.stopped_ms > clock.due_ms;
  });
}

// A reply to the consumer or reporter, for the first reply's timeliness.
bool is_reply(const EventBody& body) {
  return body.has_initial_feedback() || body.has_accepted() || body.has_refused() ||
         body.has_converted_to_case() || body.has_closed();
}

// What the statistics count (store.h, docs/kpi.md): `before` is the ticket before `body`, `after`
// has its new type, state and clocks; `time_ms` is the event's clock time.
void note_stats(const Ticket& before, const EventBody& body, std::int64_t time_ms,
                const policies::ClockBook& clocks, Ticket& after) {
  if (body.has_accepted() && after.accepted_at_ms == 0) after.accepted_at_ms = time_ms;
  if (body.has_routed() || body.has_transferred()) ++after.dispatch_count;
  if (body.has_closed()) {
    after.close_result = body.closed().result();
    after.amount_recovered_fen = body.closed().amount_recovered_fen();
  }
  if (body.has_converted_to_case()) after.converted_to_case = true;
  if (body.has_assigned() && body.assigned().kind() == weiquan::v1::ASSIGNEE_KIND_ENTERPRISE) {
    after.enterprise_handled = true;
  }
  if (body.has_mediation_result()) {
    const bool agreement = body.mediation_result().agreement();
    after.mediation = agreement ? 2 : 1;
    if (agreement && before.state == "with_enterprise") after.self_settled = true;
  }
  if (body.has_visited()) after.satisfaction = body.visited().satisfaction();
  const bool answers_someone =
      after.type == policies::TicketType::complaint || after.type == policies::TicketType::report;
  if (after.first_reply_ms == 0 && answers_someone && is_reply(body)) {
    after.first_reply_ms = time_ms;
    after.first_reply_on_time =
        !clocks.clocks().empty() && time_ms <= clocks.clocks().front().due_ms;
  }
  after.late = after.late || stopped_late(clocks);
  if (!after.closed) {
    after.closed_at_ms = 0;
    after.closed_on_time = false;
  } else if (!before.closed) {
    after.closed_at_ms = time_ms;
    after.closed_on_time = !after.late;
  }
}

}  // namespace

Result<Projection> advance(const Projection& projection, const SignedEvent& event,
                           crypto::Level author_level) {
  const Ticket& before = projection.ticket;
  const EventBody& body = event.body;
  const bool first = before.last_seq == 0;
  assert(event.seq() == before.last_seq + 1);
  if (!first && event.author() != before.holder) {
    return make_error("sync.not_holder",
                      "event " + event.ticket_id() + " seq " + std::to_string(event.seq()) + ": " +
                          event.author() + " does not hold the ticket, " + before.holder + " does");
  }
  const policies::TicketType type = first ? next_type(body, before.type) : before.type;
  const std::string state_before = first ? std::string(policies::kInitialState) : before.state;
  auto state = transition(type, state_before, body, author_level);
  if (!state) return state.error();

  Projection next = projection;
  Ticket& after = next.ticket;
  if (first) {
    const auto& submitted = body.submitted();
    after.id = event.ticket_id();
    after.intake_node = event.author();
    after.channel = submitted.channel();
    after.jurisdiction_region = submitted.jurisdiction_region();
    after.rule_version = submitted.rule_version();
    after.received_at_ms = submitted.received_at_ms();
    after.consent_disclosure = submitted.consent_disclosure();
    after.consent_mediation = submitted.consent_mediation();
    after.anonymous = submitted.anonymous();
    after.submitter = body.actor().role() == weiquan::v1::ROLE_CONSUMER ? body.actor().id() : "";
    after.business_uscc = submitted.business().uscc();
    after.business_name = submitted.business().name();
    after.category = submitted.category();
    auto policy = find_policy(after.rule_version);
    if (!policy) return policy.error();
    next.policy = *policy;
  }
  // A refusal must name a statutory ground of the ticket's policy document.
  if (body.has_refused()) {
    if (Status ok = next.policy->check_refusal_ground(body.refused().ground()); !ok) {
      return ok.error();
    }
  }
  const std::int64_t time_ms = clock_time(before, body);
  if (Status ok = feed_clocks(next.clocks, *next.policy, {type, after.anonymous}, body, time_ms);
      !ok) {
    return ok.error();
  }
  after.type = next_type(body, type);
  after.state = std::move(*state);
  after.holder = next_holder(body, before.holder);
  if (std::find(after.holders.begin(), after.holders.end(), after.holder) == after.holders.end()) {
    after.holders.push_back(after.holder);
  }
  next_assignee(body, after);
  after.updated_ms = body.time_ms();
  after.last_seq = event.seq();
  after.head = event.id;
  after.closed = is_terminal(after.type, after.state);
  after.next_due_ms = next.clocks.next_due_ms();
  note_stats(before, body, time_ms, next.clocks, after);
  return next;
}

Result<policies::ClockBook> replay_clocks(const Ticket& ticket,
                                          const policies::PolicyDocument& policy,
                                          std::span<const SignedEvent> events) {
  policies::ClockBook clocks;
  policies::TicketType type = policies::TicketType::complaint;
  Ticket before;  // what clock_time needs of the ticket before each event
  before.intake_node = ticket.intake_node;
  before.received_at_ms = ticket.received_at_ms;
  for (const SignedEvent& event : events) {
    if (event.body.has_submitted()) type = next_type(event.body, type);
    if (Status ok = feed_clocks(clocks, policy, {type, ticket.anonymous}, event.body,
                                clock_time(before, event.body));
        !ok) {
      return ok.error();
    }
    type = next_type(event.body, type);
    before.holder = next_holder(event.body, before.holder);
    before.last_seq = event.seq();
  }
  return clocks;
}

}  // namespace wq::sync

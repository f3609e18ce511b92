// Ticket clocks: the running time limits of one ticket (decide on acceptance, mediate, verify a
// report, ODR negotiation, ...), driven by the ticket's events under the policy document in force
// on its receipt date.
//
// A policy document says, per ticket type, which event kinds start a clock, which kinds stop it,
// its length (working days, calendar days or hours) and the article it comes from. ClockBook::apply
// feeds one event in, in chain order:
//  - clock_paused / clock_resumed pause and resume every running clock (testing, inspection and
//    appraisal time does not count); a clock started while paused starts paused;
//  - an approved extension_decided lengthens the named running clock by `days` (in the clock's
//  unit,
//    working days for every extendable limit shipped), at most to the limit's extension_max; a
//    refused one changes nothing;
//  - any other kind first stops every running clock whose limit lists it in stops_on, then starts
//    every clock of the ticket's type whose limit lists it in starts_on and that is not running (a
//    stopped clock of that name is replaced). So a complaint transferred to another office starts
//    its acceptance clock afresh when that office writes `received`, while a station's `received`
//    after its county assigned it leaves the county's running clock alone; a type change stops the
//    old type's clocks and starts the new type's.
// A kind in a limit may carry a variant ("assigned:enterprise"): it then matches only events with
// that variant; a plain kind matches any variant. Each clock records the policy "<id>@<version>"
// and the article that produced its due time, and whether that due time is provisional (beyond the
// holiday calendar's known years: apply the same events again once the calendar has the year). An
// event time earlier than the previous event's is taken as the previous event's time, so clocks
// never run backwards across nodes whose clocks disagree slightly.
//
// Thread safety: plain values. Failure codes: policies.unknown_clock (extension of a clock that is
// not running), policies.extension_too_long, policies.clock_state (resume without pause, pause
// while paused), policies.policy_mismatch (events of one ticket under two documents),
// policies.bad_time.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "weiquan/policies/calendar.h"
#include "weiquan/policies/deadlines.h"
#include "weiquan/policies/types.h"

namespace wq::policies {

struct PolicyDocument;

struct Clock {
  std::string name;  // the limit's name, e.g. "complaint.accept_decision"
  Period period;     // the limit's period, before extensions
  std::int64_t started_ms = 0;
  std::int64_t due_ms = 0;        // current due time, after pauses and extensions
  std::int64_t stopped_ms = 0;    // 0 while running
  std::int64_t paused_at_ms = 0;  // 0 unless paused now
  std::vector<Pause> pauses;      // completed pauses, in order
  std::int32_t extension_days = 0;
  std::string policy;        // policy document id and version, e.g. "samr-order-20@2022-09-29"
  std::string article;       // legal source of the limit
  bool provisional = false;  // due date lies beyond the holiday calendar's last known year

  bool running() const { return stopped_ms == 0; }
  bool paused() const { return paused_at_ms != 0; }
  // Stopped after its due time; paused after it; or running, not paused, and now past it.
  bool overdue_at(std::int64_t now_ms) const;
};

// What the clocks need to know about the ticket itself.
struct TicketFacts {
  TicketType type = TicketType::complaint;
  bool anonymous = false;  // limits marked real_name_only start no clock
};

struct ClockEvent {
  std::string_view kind;  // event kind (proto oneof field name)
  std::int64_t time_ms = 0;
  // The variants of Lifecycle::apply (assigned: Assigned.kind, transferred: Transferred.direction,
  // type_changed: TypeChanged.to), and for closed its result code (Closed.result; "not_filed" for
  // a report on which no case is opened, 不予立案).
  std::string_view variant;
  std::string_view clock;  // extension_decided: which clock
  bool approved = false;   // extension_decided
  std::uint32_t days = 0;  // extension_decided: amount granted, in the clock's unit
};

class ClockBook {
 public:
  Status apply(const PolicyDocument& policy, const Calendar& calendar, const TicketFacts& ticket,
               const ClockEvent& event);

  const std::vector<Clock>& clocks() const { return clocks_; }
  const Clock* find(std::string_view name) const;
  // The earliest due time among running clocks that are not paused, or 0 when none runs.
  std::int64_t next_due_ms() const;

 private:
  Status pause(std::int64_t time_ms);
  Status resume(const Calendar& calendar, std::int64_t time_ms);
  Status extend(const PolicyDocument& policy, const Calendar& calendar, const ClockEvent& event);
  Status stop_and_start(const PolicyDocument& policy, const Calendar& calendar,
                        const TicketFacts& ticket, const ClockEvent& event, std::int64_t time_ms);
  Clock* running(std::string_view name);

  std::vector<Clock> clocks_;
  std::string policy_;  // the document of every clock in the book
  std::int64_t last_event_ms_ = 0;
  bool paused_ = false;
};

}  // namespace wq::policies

// Ticket clocks: the running time limits of one ticket (decide on acceptance, mediate, verify a
// report, ODR negotiation, ...), driven by the ticket's events under the policy document in force on
// its receipt date.
//
// A policy document says, per ticket type, which event kind starts a clock, which kinds stop it, its
// length (working days, calendar days or hours) and the article it comes from. ClockBook::apply feeds
// one event in; clock_paused/clock_resumed pause and resume every running clock (testing and
// appraisal time does not count), an approved extension_decided lengthens the named clock. Each
// clock records the policy version and article that produced its due time.
//
// Thread safety: plain values. Failure codes: policies.unknown_clock (extension of a clock that is
// not running), policies.clock_state (resume without pause, pause while paused).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "weiquan/policies/types.h"

namespace wq::policies {

class PolicyDocument;
class Calendar;

struct Clock {
  std::string name;            // e.g. "complaint.accept_decision"
  std::int64_t started_ms = 0;
  std::int64_t due_ms = 0;     // current due time, after pauses and extensions
  std::int64_t stopped_ms = 0; // 0 while running
  std::int64_t paused_at_ms = 0;  // 0 unless paused now
  std::int64_t paused_total_ms = 0;
  std::int32_t extension_days = 0;
  std::string policy;          // policy document id and version, e.g. "samr-order-20@2022-03-24"
  std::string article;         // legal source of the limit
  bool provisional = false;    // due date lies beyond the holiday calendar's last known year

  bool running() const { return stopped_ms == 0; }
  bool overdue_at(std::int64_t now_ms) const;  // running and past due, or stopped after due
};

struct ClockEvent {
  std::string_view kind;      // event kind (proto oneof field name)
  std::int64_t time_ms = 0;
  std::string_view clock;     // extension_decided: which clock
  bool approved = false;      // extension_decided
  std::uint32_t days = 0;     // extension_decided: working days granted
};

class ClockBook {
 public:
  Status apply(const PolicyDocument& policy, const Calendar& calendar, TicketType type,
               const ClockEvent& event);

  const std::vector<Clock>& clocks() const { return clocks_; }
  const Clock* find(std::string_view name) const;
  // The earliest due time among running clocks, or 0 when none runs.
  std::int64_t next_due_ms() const;

 private:
  std::vector<Clock> clocks_;
};

}  // namespace wq::policies

#include "weiquan/policies/clocks.h"

#include <algorithm>
#include <utility>

#include "weiquan/policies/policy_document.h"

namespace wq::policies {

namespace {

// "kind" matches the kind with any variant; "kind:variant" only that variant.
bool matches(std::string_view pattern, const ClockEvent& event) {
  const std::size_t colon = pattern.find(':');
  if (colon == std::string_view::npos) return pattern == event.kind;
  return pattern.substr(0, colon) == event.kind && pattern.substr(colon + 1) == event.variant;
}

bool any_matches(const std::vector<std::string>& patterns, const ClockEvent& event) {
  return std::any_of(patterns.begin(), patterns.end(),
                     [&event](const std::string& pattern) { return matches(pattern, event); });
}

Status recompute(Clock& clock, const Calendar& calendar) {
  const auto due = compute_due(
      calendar, clock.started_ms,
      Period{clock.period.amount + clock.extension_days, clock.period.unit}, clock.pauses);
  if (!due) return due.error();
  clock.due_ms = due->due_ms;
  clock.provisional = due->provisional;
  return {};
}

void end_pause(Clock& clock, std::int64_t time_ms) {
  if (!clock.paused()) return;
  clock.pauses.push_back(Pause{clock.paused_at_ms, time_ms});
  clock.paused_at_ms = 0;
}

}  // namespace

bool Clock::overdue_at(std::int64_t now_ms) const {
  if (!running()) return stopped_ms > due_ms;
  if (paused()) return paused_at_ms > due_ms;
  return now_ms > due_ms;
}

Status ClockBook::apply(const PolicyDocument& policy, const Calendar& calendar,
                        const TicketFacts& ticket, const ClockEvent& event) {
  if (auto checked = check_time(event.time_ms); !checked) return checked;
  const std::string ref = policy.ref();
  if (!policy_.empty() && policy_ != ref) {
    return make_error("policies.policy_mismatch",
                      "the ticket's clocks follow " + policy_ + ", not " + ref);
  }
  // Work on a copy so that a failed event leaves the book as it was.
  ClockBook next = *this;
  const std::int64_t time_ms = std::max(event.time_ms, last_event_ms_);
  Status applied;
  if (event.kind == "clock_paused") {
    applied = next.pause(time_ms);
  } else if (event.kind == "clock_resumed") {
    applied = next.resume(calendar, time_ms);
  } else if (event.kind == "extension_decided") {
    applied = next.extend(policy, calendar, event);
  } else {
    applied = next.stop_and_start(policy, calendar, ticket, event, time_ms);
  }
  if (!applied) return applied;
  next.policy_ = ref;
  next.last_event_ms_ = time_ms;
  *this = std::move(next);
  return {};
}

Status ClockBook::pause(std::int64_t time_ms) {
  if (paused_) return make_error("policies.clock_state", "the clocks are already paused");
  paused_ = true;
  for (Clock& clock : clocks_) {
    if (clock.running()) clock.paused_at_ms = time_ms;
  }
  return {};
}

Status ClockBook::resume(const Calendar& calendar, std::int64_t time_ms) {
  if (!paused_) return make_error("policies.clock_state", "the clocks are not paused");
  paused_ = false;
  for (Clock& clock : clocks_) {
    if (!clock.paused()) continue;
    end_pause(clock, time_ms);
    if (auto updated = recompute(clock, calendar); !updated) return updated;
  }
  return {};
}

Status ClockBook::extend(const PolicyDocument& policy, const Calendar& calendar,
                         const ClockEvent& event) {
  if (!event.approved) return {};
  Clock* clock = running(event.clock);
  const Limit* limit = clock == nullptr ? nullptr : policy.limit(clock->name);
  if (limit == nullptr) {
    return make_error("policies.unknown_clock",
                      "no running clock \"" + std::string(event.clock) + "\" to extend");
  }
  const std::int64_t total = std::int64_t{clock->extension_days} + event.days;
  if (total > limit->extension_max) {
    return make_error("policies.extension_too_long", clock->name + " may be extended by at most " +
                                                         std::to_string(limit->extension_max) +
                                                         ", asked for " + std::to_string(total) +
                                                         " in all");
  }
  clock->extension_days = static_cast<std::int32_t>(total);
  return recompute(*clock, calendar);
}

Status ClockBook::stop_and_start(const PolicyDocument& policy, const Calendar& calendar,
                                 const TicketFacts& ticket, const ClockEvent& event,
                                 std::int64_t time_ms) {
  for (Clock& clock : clocks_) {
    const Limit* limit = policy.limit(clock.name);
    if (!clock.running() || limit == nullptr || !any_matches(limit->stops_on, event)) continue;
    end_pause(clock, time_ms);
    clock.stopped_ms = time_ms;
    if (auto updated = recompute(clock, calendar); !updated) return updated;
  }
  for (const Limit* limit : policy.limits_for(ticket.type)) {
    if (!any_matches(limit->starts_on, event) || (limit->real_name_only && ticket.anonymous) ||
        running(limit->name) != nullptr) {
      continue;
    }
    Clock clock;
    clock.name = limit->name;
    clock.period = limit->period;
    clock.started_ms = time_ms;
    clock.paused_at_ms = paused_ ? time_ms : 0;
    clock.policy = policy.ref();
    clock.article = limit->article;
    if (auto updated = recompute(clock, calendar); !updated) return updated;
    const auto old = std::find_if(clocks_.begin(), clocks_.end(),
                                  [&clock](const Clock& c) { return c.name == clock.name; });
    if (old != clocks_.end()) {
      *old = std::move(clock);
    } else {
      clocks_.push_back(std::move(clock));
    }
  }
  return {};
}

Clock* ClockBook::running(std::string_view name) {
  for (Clock& clock : clocks_) {
    if (clock.name == name && clock.running()) return &clock;
  }
  return nullptr;
}

const Clock* ClockBook::find(std::string_view name) const {
  for (const Clock& clock : clocks_) {
    if (clock.name == name) return &clock;
  }
  return nullptr;
}

std::int64_t ClockBook::next_due_ms() const {
  std::int64_t next = 0;
  for (const Clock& clock : clocks_) {
    if (clock.running() && !clock.paused() && (next == 0 || clock.due_ms < next)) {
      next = clock.due_ms;
    }
  }
  return next;
}

}  // namespace wq::policies

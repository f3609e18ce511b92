// Shared setup for tests that drive real nodes: a chain of nodes created and enrolled by the real
// `weiquan` binary, and an EventDesk that writes events into one node's own store through the sync
// EventWriter, as the node itself does.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "process.h"
#include "temp_dir.h"
#include "weiquan/crypto/keys.h"
#include "weiquan/sync/event_writer.h"
#include "weiquan/sync/store.h"

namespace wq::testing {

std::int64_t now_ms();

// REQUIREs a zero exit code, showing the process's output otherwise.
void require_ok(const ProcessResult& r);

// Creates a node in tmp/<id> for each region code of `chain`, the national "cn" first, each
// enrolled by the one before it; the level follows from the length of the code.
void build_chain(const TempDir& tmp, const std::vector<std::string>& chain);

// An event body naming the person who acts, ready for one kind to be set.
weiquan::v1::EventBody by(weiquan::v1::Role role, const char* id);

// Writes events as the enrolled node in `dir`, with its own key, into its own store.
// Not movable: the writer refers to the store and key held here.
class EventDesk {
 public:
  EventDesk(const std::string& dir, std::int64_t now);
  EventDesk(const EventDesk&) = delete;
  EventDesk& operator=(const EventDesk&) = delete;

  // A complaint taken in by hotline at `at` (received an hour earlier) by this county office,
  // which has jurisdiction: submitted, routed to itself, received and accepted at at, at + 1,
  // at + 2, at + 3. Returns the ticket id.
  std::string accepted_complaint(std::int64_t at);

  void append(const std::string& ticket_id, const weiquan::v1::EventBody& body, std::int64_t at);

  sync::Store& store() { return *store_; }

 private:
  std::string node_id_;
  std::optional<crypto::NodeKeys> keys_;
  std::optional<sync::Store> store_;
  std::optional<sync::EventWriter> writer_;
};

}  // namespace wq::testing

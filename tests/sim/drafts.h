// Drafts of the events the simulated offices write: an EventBody with an actor and one kind set,
// as sync::EventWriter takes them (the same bodies the sync unit tests use, with the jurisdiction
// and receipt time of each filing).
//
// Thread safety: pure functions. Failure: never fails.
#pragma once

#include <cstdint>
#include <string>

#include "weiquan/v1/weiquan.pb.h"

namespace wq::sim {

// A consumer's complaint filed online, received at `received_at_ms`, about a business in `region`.
weiquan::v1::EventBody complaint(const std::string& region, std::int64_t received_at_ms);
// Written by the node itself.
weiquan::v1::EventBody routed(const std::string& to_node, const std::string& region);
weiquan::v1::EventBody received();
// Written by an officer.
weiquan::v1::EventBody transferred(const std::string& to_node);  // parallel, county to county
weiquan::v1::EventBody accepted();
weiquan::v1::EventBody closed();

}  // namespace wq::sim

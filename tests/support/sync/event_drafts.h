// Drafts of the events offices write in tests and the simulator: an EventBody with an actor and
// one kind set, as sync::EventWriter takes them. A consumer acts as "consumer-1"; officers and the
// node itself as "officer-7" (王警官).
//
// Ownership: values out. Thread safety: pure functions. Failure: never fails.
#pragma once

#include <cstdint>
#include <string>

#include "weiquan/v1/weiquan.pb.h"

namespace wq::testing {

// A body with only the actor of `role` set.
weiquan::v1::EventBody draft(weiquan::v1::Role role);
// A consumer's complaint about a Shenzhen appliance shop filed online, received at
// `received_at_ms`, under the jurisdiction of `region`; the consumer consents to disclosure and
// to mediation.
weiquan::v1::EventBody complaint(const std::string& region, std::int64_t received_at_ms);
// Written by the node itself.
weiquan::v1::EventBody routed(const std::string& to_node, const std::string& region,
                              const std::string& reason = "");
weiquan::v1::EventBody received();
// Written by an officer.
weiquan::v1::EventBody accepted();
weiquan::v1::EventBody transferred(weiquan::v1::TransferDirection direction,
                                   const std::string& to_node);
weiquan::v1::EventBody closed(std::int64_t amount_recovered_fen);

}  // namespace wq::testing

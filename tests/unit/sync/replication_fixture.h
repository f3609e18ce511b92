// What the replication and anti-entropy tests share: a replicator's options on a MemoryNetwork, a
// writer whose events are owed to a fixed set of peers, and the check that two stores hold the
// same chains.
//
// Ownership: values out; the options' clock refers to `network`, which must outlive them. Thread
// safety: the test thread only. Failure: Catch2 assertions.
#pragma once

#include <string>
#include <vector>

#include "weiquan/sync/event_writer.h"
#include "weiquan/sync/memory_transport.h"
#include "weiquan/sync/replicator.h"
#include "weiquan/sync/store.h"

namespace wq::sync::test {

// Node `node_id` of the test federation on `network`'s clock: 200 ms request timeout, backoff
// from 20 ms to 1 s, jitter seed 1.
ReplicatorOptions replicator_options(MemoryNetwork& network, const std::string& node_id);

// A writer for node `node_id` into `store` that owes every event it authors to `interested`.
EventWriter interested_writer(Store& store, const std::string& node_id,
                              std::vector<std::string> interested);

// `to` holds exactly the chains `from` holds of `tickets`, and no quarantined event.
void require_same_chains(const Store& from, const Store& to,
                         const std::vector<std::string>& tickets);

}  // namespace wq::sync::test

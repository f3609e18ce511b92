// Health reporting of a federated node (DESIGN §6, protocol.md §14): the body of this node's own
// heartbeat, from what its link, replicator and anti-entropy pass know, and the JSON that
// GET /api/v1/federation shows of its heartbeats and of every descendant's health (docs/api.md).
//
// Thread safety: pure functions. Never fails.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "weiquan/federation/health_book.h"
#include "weiquan/federation/heartbeat_exchange.h"
#include "weiquan/sync/anti_entropy.h"
#include "weiquan/sync/replicator.h"
#include "weiquan/sync/transport.h"
#include "weiquan/v1/weiquan.pb.h"

namespace wq::node {

// Everything of this node's heartbeat but version, node_id and sent_at_ms: the software and
// lifecycle rule versions, the link, the total backlog and the peers with the largest backlogs
// (at most federation::kMaxHeartbeatPeers), the anti-entropy pass.
weiquan::v1::HeartbeatBody heartbeat_report(sync::LinkState link,
                                            std::vector<sync::PeerStatus> peers,
                                            const sync::AntiEntropyStatus& pass);

// {sent{...}, received{...}}: the exchange's counters and the HealthBook's.
nlohmann::json heartbeats_json(const federation::HeartbeatStatus& exchange,
                               const federation::HealthCounters& book);

// One object per descendant: node, level, region, name, live, as_of (null: never heard), backlog,
// link, peers, software_version, policy_version, anti_entropy_last_complete_ms (null until heard).
nlohmann::json descendants_json(const std::vector<federation::DescendantHealth>& descendants);

}  // namespace wq::node

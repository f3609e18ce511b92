#include "health_report.h"

#include <algorithm>

#include "region_names.h"
#include "weiquan/federation/heartbeat_codec.h"
#include "weiquan/policies/lifecycle.h"

namespace wq::node {
namespace {

using nlohmann::json;

weiquan::v1::LinkState wire_link(sync::LinkState link) {
  switch (link) {
    case sync::LinkState::up:
      return weiquan::v1::LINK_STATE_UP;
    case sync::LinkState::reconnecting:
      return weiquan::v1::LINK_STATE_RECONNECTING;
    case sync::LinkState::down:
      return weiquan::v1::LINK_STATE_DOWN;
  }
  return weiquan::v1::LINK_STATE_UNSPECIFIED;
}

std::string_view link_name(weiquan::v1::LinkState link) {
  switch (link) {
    case weiquan::v1::LINK_STATE_UP:
      return "up";
    case weiquan::v1::LINK_STATE_RECONNECTING:
      return "reconnecting";
    case weiquan::v1::LINK_STATE_DOWN:
      return "down";
    default:
      return "unknown";
  }
}

json health_json(const weiquan::v1::HeartbeatBody& body) {
  json peers = json::array();
  for (const weiquan::v1::PeerHealth& peer : body.peers()) {
    peers.push_back({{"node", peer.node_id()},
                     {"backlog", peer.backlog()},
                     {"last_ack_ms", peer.last_ack_ms()},
                     {"last_error", peer.last_error()}});
  }
  return {{"backlog", body.backlog()},
          {"link", link_name(body.link())},
          {"peers", std::move(peers)},
          {"software_version", body.software_version()},
          {"policy_version", body.policy_version()},
          {"anti_entropy_last_complete_ms", body.anti_entropy_last_complete_ms()},
          {"anti_entropy_last_error", body.anti_entropy_last_error()}};
}

json never_heard() {
  return {{"backlog", nullptr},
          {"link", nullptr},
          {"peers", json::array()},
          {"software_version", nullptr},
          {"policy_version", nullptr},
          {"anti_entropy_last_complete_ms", nullptr},
          {"anti_entropy_last_error", nullptr}};
}

}  // namespace

weiquan::v1::HeartbeatBody heartbeat_report(sync::LinkState link,
                                            std::vector<sync::PeerStatus> peers,
                                            const sync::AntiEntropyStatus& pass) {
  weiquan::v1::HeartbeatBody body;
  body.set_software_version(WEIQUAN_VERSION);
  body.set_policy_version(policies::Lifecycle::builtin().version());
  body.set_link(wire_link(link));
  std::uint64_t backlog = 0;
  for (const sync::PeerStatus& peer : peers) backlog += peer.backlog;
  body.set_backlog(backlog);
  std::sort(peers.begin(), peers.end(), [](const sync::PeerStatus& a, const sync::PeerStatus& b) {
    return a.backlog != b.backlog ? a.backlog > b.backlog : a.peer < b.peer;
  });
  const std::size_t shown =
      std::min(peers.size(), static_cast<std::size_t>(federation::kMaxHeartbeatPeers));
  for (std::size_t i = 0; i < shown; ++i) {
    weiquan::v1::PeerHealth& peer = *body.add_peers();
    peer.set_node_id(peers[i].peer);
    peer.set_backlog(peers[i].backlog);
    peer.set_last_ack_ms(peers[i].last_ack_ms);
    peer.set_last_error(peers[i].last_error);
  }
  body.set_anti_entropy_last_complete_ms(pass.last_complete_ms);
  body.set_anti_entropy_last_error(pass.last_error);
  return body;
}

json heartbeats_json(const federation::HeartbeatStatus& exchange,
                     const federation::HealthCounters& book) {
  return {{"sent",
           {{"requests_answered", exchange.requests_answered},
            {"requests_failed", exchange.requests_failed},
            {"delivered", exchange.delivered},
            {"refused_by_parent", exchange.refused_by_parent},
            {"last_answer_ms", exchange.last_answer_ms},
            {"last_error", exchange.last_error}}},
          {"received",
           {{"requests_served", exchange.requests_served},
            {"requests_dropped", exchange.requests_dropped},
            {"accepted", book.accepted},
            {"duplicates", book.duplicates},
            {"malformed", book.malformed},
            {"bad_signature", book.bad_signature},
            {"untrusted", book.untrusted},
            {"outside_subtree", book.outside_subtree},
            {"from_future", book.from_future},
            {"stale", book.stale}}}};
}

json descendants_json(const std::vector<federation::DescendantHealth>& descendants) {
  json out = json::array();
  for (const federation::DescendantHealth& d : descendants) {
    auto name = describe_region(d.level, d.region);
    json entry = d.latest ? health_json(*d.latest) : never_heard();
    entry["node"] = d.node;
    entry["level"] = crypto::level_name(d.level);
    entry["region"] = d.region;
    entry["name"] = name ? json(*name) : json(nullptr);
    entry["live"] = d.live;
    entry["as_of"] = d.as_of ? json(*d.as_of) : json(nullptr);
    out.push_back(std::move(entry));
  }
  return out;
}

}  // namespace wq::node

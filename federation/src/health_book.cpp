#include "weiquan/federation/health_book.h"

#include <algorithm>
#include <set>
#include <utility>

#include "weiquan/crypto/signing.h"
#include "weiquan/federation/interest.h"

namespace wq::federation {
namespace {

// Whether `node` lies below `self` in the certificate tree at `at_ms`.
bool descends_from(const crypto::TrustStore& trust, std::string_view node, std::string_view self,
                   std::int64_t at_ms) {
  if (node == self) return false;
  const std::vector<std::string> chain = chain_of(trust, node, at_ms);
  return std::find(chain.begin(), chain.end(), self) != chain.end();
}

}  // namespace

HealthBook::HealthBook(HealthBookOptions options) : options_(std::move(options)) {}

Result<bool> HealthBook::accept(const weiquan::v1::Signed& wire, const crypto::TrustStore& trust,
                                std::int64_t now_ms) {
  auto heartbeat = decode_heartbeat(wire);
  if (!heartbeat) {
    std::lock_guard lock(mutex_);
    ++counters_.malformed;
    return heartbeat.error();
  }
  const Status checked = check(*heartbeat, trust, now_ms);
  std::lock_guard lock(mutex_);
  if (!checked) {
    const std::string& code = checked.error().code;
    if (code == "federation.heartbeat_bad_signature") {
      ++counters_.bad_signature;
    } else if (code == "federation.heartbeat_outside_subtree") {
      ++counters_.outside_subtree;
    } else if (code == "federation.heartbeat_from_future") {
      ++counters_.from_future;
    } else {
      ++counters_.untrusted;
    }
    return checked.error();
  }
  const std::string node = heartbeat->body.node_id();  // a copy: the heartbeat moves below
  auto held = held_.find(node);
  if (held != held_.end()) {
    const Heartbeat& old = held->second.heartbeat;
    if (old.body_bytes == heartbeat->body_bytes && old.signature == heartbeat->signature) {
      ++counters_.duplicates;
      return false;
    }
    if (old.body.sent_at_ms() >= heartbeat->body.sent_at_ms()) {
      ++counters_.stale;
      return make_error("federation.heartbeat_stale",
                        "heartbeat of " + node + " is not newer than the one held");
    }
    by_arrival_.erase(held->second.arrival);
  }
  ++counters_.accepted;
  by_arrival_.emplace(++last_arrival_, node);
  held_.insert_or_assign(node, Held{std::move(*heartbeat), last_arrival_});
  return true;
}

Status HealthBook::check(const Heartbeat& heartbeat, const crypto::TrustStore& trust,
                         std::int64_t now_ms) const {
  const std::string& node = heartbeat.body.node_id();
  auto signer = trust.verify_chain(node, heartbeat.body.sent_at_ms());
  if (!signer) return signer.error();
  if (!crypto::verify((*signer)->cert.sign_key, crypto::Domain::heartbeat, heartbeat.body_bytes,
                      heartbeat.signature)) {
    return make_error("federation.heartbeat_bad_signature",
                      "heartbeat of " + node + " does not verify");
  }
  if (auto trusted = trust.verify_chain(node, now_ms); !trusted) return trusted.error();
  if (!descends_from(trust, node, options_.self, now_ms)) {
    return make_error("federation.heartbeat_outside_subtree",
                      node + " is not below " + options_.self);
  }
  if (heartbeat.body.sent_at_ms() > now_ms + options_.max_skew_ms) {
    return make_error("federation.heartbeat_from_future",
                      "heartbeat of " + node + " is dated ahead of the clock");
  }
  return {};
}

std::optional<std::int64_t> HealthBook::as_of(std::string_view node) const {
  std::lock_guard lock(mutex_);
  auto held = held_.find(node);
  if (held == held_.end()) return std::nullopt;
  return held->second.heartbeat.body.sent_at_ms();
}

bool HealthBook::live(std::string_view node, std::int64_t now_ms) const {
  std::lock_guard lock(mutex_);
  return live_locked(node, now_ms);
}

bool HealthBook::live_locked(std::string_view node, std::int64_t now_ms) const {
  auto held = held_.find(node);
  return held != held_.end() &&
         held->second.heartbeat.body.sent_at_ms() >= now_ms - options_.live_window_ms;
}

std::vector<DescendantHealth> HealthBook::descendants(const crypto::TrustStore& trust,
                                                      std::int64_t now_ms) const {
  std::set<std::string> nodes;
  for (const crypto::SignedCertificate* cert : trust.certificates()) {
    nodes.insert(cert->cert.node_id);
  }
  std::vector<DescendantHealth> out;
  for (const std::string& node : nodes) {
    if (!descends_from(trust, node, options_.self, now_ms)) continue;
    const crypto::Certificate& cert = (*trust.verify_chain(node, now_ms))->cert;
    out.push_back({.node = node, .level = cert.level, .region = cert.region});
  }
  std::lock_guard lock(mutex_);
  for (DescendantHealth& health : out) {
    auto held = held_.find(health.node);
    if (held == held_.end()) continue;
    health.as_of = held->second.heartbeat.body.sent_at_ms();
    health.live = live_locked(health.node, now_ms);
    health.latest = held->second.heartbeat.body;
  }
  return out;
}

PendingHeartbeats HealthBook::pending(std::uint64_t after, std::size_t budget_bytes) const {
  PendingHeartbeats out;
  out.through = after;
  std::size_t used = 0;
  std::lock_guard lock(mutex_);
  for (auto it = by_arrival_.upper_bound(after); it != by_arrival_.end(); ++it) {
    const Heartbeat& heartbeat = held_.find(it->second)->second.heartbeat;
    weiquan::v1::Signed wire;
    wire.set_body(heartbeat.body_bytes.data(), heartbeat.body_bytes.size());
    wire.set_signature(heartbeat.signature.data(), heartbeat.signature.size());
    wire.set_signer(heartbeat.signer);
    used += wire.ByteSizeLong() + 8;  // with its tag and length inside the request
    if (used > budget_bytes) {
      out.more = true;
      break;
    }
    out.heartbeats.push_back(std::move(wire));
    out.through = it->first;
  }
  return out;
}

HealthCounters HealthBook::counters() const {
  std::lock_guard lock(mutex_);
  return counters_;
}

}  // namespace wq::federation

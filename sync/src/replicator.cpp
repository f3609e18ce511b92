#include "weiquan/sync/replicator.h"

#include <cassert>
#include <chrono>

#include "replicator_core.h"

namespace wq::sync {
namespace {

std::uint64_t jitter_seed(std::uint64_t configured) {
  if (configured != 0) return configured;
  return static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
}

}  // namespace

Replicator::Core::Core(Store& owner_store, Transport& link, ReplicatorOptions replicator_options,
                       Post poster)
    : store(owner_store),
      transport(link),
      options(std::move(replicator_options)),
      post(std::move(poster)),
      jitter(jitter_seed(options.jitter_seed)) {}

std::int64_t Replicator::Core::now_ms() const {
  if (options.now_ms) return options.now_ms();
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void Replicator::Core::post_to_owner(std::function<void(Core&)> work) {
  post([weak = weak_from_this(), work = std::move(work)] {
    if (auto core = weak.lock()) work(*core);
  });
}

Replicator::Replicator(Store& store, Transport& transport, ReplicatorOptions options, Post post)
    : core_(std::make_shared<Core>(store, transport, std::move(options), std::move(post))) {
  assert(core_->options.key != nullptr && core_->post);
}

Replicator::~Replicator() = default;

Status Replicator::start() {
  return core_->transport.serve(
      Channel::sync,
      [weak = std::weak_ptr<Core>(core_)](Transport::Bytes request, Transport::Respond respond) {
        const auto core = weak.lock();
        if (!core) return;
        core->post_to_owner([request = std::move(request), respond = std::move(respond)](
                                Core& owner) { owner.on_request(request, respond); });
      });
}

void Replicator::tick() {
  Core& core = *core_;
  const std::vector<OutboxBacklog> backlog = core.store.outbox_backlog();
  const std::int64_t now = core.now_ms();
  std::vector<std::string> due;
  core.update([&] {
    for (auto& [id, peer] : core.peers) peer.status.backlog = 0;
    for (const OutboxBacklog& owed : backlog) {
      Core::Peer& peer = core.peers[owed.peer];
      peer.status.peer = owed.peer;
      peer.status.backlog = owed.rows;
      if (!peer.status.in_flight && now >= peer.status.next_attempt_ms) due.push_back(owed.peer);
    }
  });
  for (const std::string& peer : due) core.send_batch(peer);
}

std::vector<PeerStatus> Replicator::peers() const {
  std::lock_guard lock(core_->mutex);
  std::vector<PeerStatus> out;
  out.reserve(core_->peers.size());
  for (const auto& [id, peer] : core_->peers) out.push_back(peer.status);
  return out;
}

ReplicationCounters Replicator::counters() const {
  std::lock_guard lock(core_->mutex);
  return core_->counters;
}

}  // namespace wq::sync

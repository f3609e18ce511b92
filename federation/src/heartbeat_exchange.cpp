#include "weiquan/federation/heartbeat_exchange.h"

#include <mutex>
#include <optional>
#include <utility>

#include "weiquan/federation/heartbeat_codec.h"
#include "wire_bytes.h"

namespace wq::federation {

using weiquan::v1::HeartbeatsReply;
using weiquan::v1::RpcRequest;

namespace {

// Room left in a request for its framing.
constexpr std::size_t kRequestBudget = sync::kMaxTransportPayload - 16 * 1024;

}  // namespace

struct HeartbeatExchange::Core : std::enable_shared_from_this<Core> {
  Core(sync::Transport& t, const crypto::SigningKeyPair& k, HealthBook& b, HeartbeatOptions o,
       OnOwner owner, Describe d)
      : transport(t),
        key(k),
        book(b),
        options(std::move(o)),
        on_owner(std::move(owner)),
        describe(std::move(d)) {}

  void beat();
  // Sends the parent what is pending, unless a request is in flight (then once it completes).
  void send();
  // `own_sent`: the beat whose heartbeat the request carried, 0 for none.
  void on_answer(Result<sync::Transport::Bytes> answer, std::uint64_t own_sent,
                 std::uint64_t through);
  void serve(const RpcRequest& request, const crypto::TrustStore& trust,
             const sync::Transport::Respond& respond);

  sync::Transport& transport;
  const crypto::SigningKeyPair& key;
  HealthBook& book;
  const HeartbeatOptions options;
  const OnOwner on_owner;
  const Describe describe;

  mutable std::mutex mutex;
  std::optional<weiquan::v1::Signed> own;  // this node's newest heartbeat, until delivered
  std::uint64_t beats = 0;                 // numbers the beats, to tell whether `own` changed
  std::uint64_t delivered_through = 0;     // arrival number in `book` the parent has had
  bool in_flight = false;
  bool again = false;  // something to send once the request in flight completes
  HeartbeatStatus status;
};

void HeartbeatExchange::Core::beat() {
  if (options.parent.empty()) return;
  weiquan::v1::HeartbeatBody body = describe();
  body.set_version(1);
  body.set_node_id(options.self);
  body.set_sent_at_ms(options.now_ms());
  weiquan::v1::Signed wire = encode_heartbeat(body, key);
  {
    std::lock_guard lock(mutex);
    own = std::move(wire);
    ++beats;
  }
  send();
}

void HeartbeatExchange::Core::send() {
  if (options.parent.empty()) return;
  RpcRequest request;
  request.set_version(1);
  request.set_origin(options.self);
  auto& heartbeats = *request.mutable_heartbeats();
  std::uint64_t own_sent = 0;
  std::uint64_t after = 0;
  {
    std::lock_guard lock(mutex);
    if (in_flight) {
      again = true;
      return;
    }
    if (own) {
      *heartbeats.add_heartbeats() = *own;
      own_sent = beats;
    }
    after = delivered_through;
  }
  PendingHeartbeats pending = book.pending(after, kRequestBudget - request.ByteSizeLong());
  if (pending.heartbeats.empty() && own_sent == 0) return;
  for (weiquan::v1::Signed& wire : pending.heartbeats) {
    *heartbeats.add_heartbeats() = std::move(wire);
  }
  {
    std::lock_guard lock(mutex);
    in_flight = true;
    again = pending.more;
  }
  std::weak_ptr<Core> weak = weak_from_this();
  const std::uint64_t through = pending.through;
  transport.request(options.parent, sync::Channel::rpc, serialized(request),
                    options.request_timeout,
                    [weak, own_sent, through](Result<sync::Transport::Bytes> answer) {
                      auto core = weak.lock();
                      if (!core) return;
                      core->on_owner([weak, answer = std::move(answer), own_sent,
                                      through](const crypto::TrustStore&) mutable {
                        if (auto owner = weak.lock())
                          owner->on_answer(std::move(answer), own_sent, through);
                      });
                    });
}

void HeartbeatExchange::Core::on_answer(Result<sync::Transport::Bytes> answer,
                                        std::uint64_t own_sent, std::uint64_t through) {
  HeartbeatsReply reply;
  std::string error;
  if (!answer) {
    error = answer.error().code;
  } else if (answer->size() > sync::kMaxTransportPayload ||
             !reply.ParseFromArray(answer->data(), static_cast<int>(answer->size())) ||
             reply.version() != 1) {
    error = "federation.bad_heartbeats_reply";
  }
  bool more = false;
  {
    std::lock_guard lock(mutex);
    in_flight = false;
    if (!error.empty()) {
      // Nothing counts as delivered; the next beat sends the same delta with a fresher heartbeat.
      ++status.requests_failed;
      status.last_error = std::move(error);
      again = false;
      return;
    }
    ++status.requests_answered;
    status.delivered += reply.accepted();
    status.refused_by_parent += reply.refused();
    status.last_answer_ms = options.now_ms();
    status.last_error.clear();
    delivered_through = through;
    if (own_sent != 0 && own_sent == beats) own.reset();
    more = again;
    again = false;
  }
  if (more) send();
}

void HeartbeatExchange::Core::serve(const RpcRequest& request, const crypto::TrustStore& trust,
                                    const sync::Transport::Respond& respond) {
  HeartbeatsReply reply;
  reply.set_version(1);
  const std::int64_t now = options.now_ms();
  bool unknown_node = false;
  for (const weiquan::v1::Signed& wire : request.heartbeats().heartbeats()) {
    auto kept = book.accept(wire, trust, now);
    if (!kept) {
      reply.set_refused(reply.refused() + 1);
      unknown_node = unknown_node || kept.error().code == "crypto.unknown_node";
    } else if (*kept) {
      reply.set_accepted(reply.accepted() + 1);
    } else {
      reply.set_duplicates(reply.duplicates() + 1);
    }
  }
  {
    std::lock_guard lock(mutex);
    ++status.requests_served;
  }
  respond(serialized(reply));
  if (unknown_node && options.on_unknown_node) options.on_unknown_node();
  if (reply.accepted() > 0) send();  // on towards the national node
}

HeartbeatExchange::HeartbeatExchange(sync::Transport& transport, const crypto::SigningKeyPair& key,
                                     HealthBook& book, HeartbeatOptions options, OnOwner on_owner,
                                     Describe describe)
    : core_(std::make_shared<Core>(transport, key, book, std::move(options), std::move(on_owner),
                                   std::move(describe))) {}

HeartbeatExchange::~HeartbeatExchange() = default;

void HeartbeatExchange::beat() {
  core_->beat();
}

sync::RpcServer::Handler HeartbeatExchange::handler() const {
  std::weak_ptr<Core> weak = core_;
  return [weak](RpcRequest request, sync::Transport::Respond respond) {
    auto core = weak.lock();
    if (!core) return;
    if (!request.has_heartbeats()) {
      std::lock_guard lock(core->mutex);
      ++core->status.requests_dropped;
      return;  // no answer: the asker times out
    }
    core->on_owner([weak, request = std::move(request),
                    respond = std::move(respond)](const crypto::TrustStore& trust) {
      if (auto owner = weak.lock()) owner->serve(request, trust, respond);
    });
  };
}

HeartbeatStatus HeartbeatExchange::status() const {
  std::lock_guard lock(core_->mutex);
  return core_->status;
}

}  // namespace wq::federation

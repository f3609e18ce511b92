// Private to sync/: the state behind AntiEntropy, shared by anti_entropy.cpp (the asking side) and
// anti_entropy_serve.cpp (the serving side).
//
// Only the owner thread changes `page`; `mutex` guards `status` so that other threads may copy it,
// and is never held across a store or transport call.
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "weiquan/sync/anti_entropy.h"
#include "weiquan/v1/weiquan.pb.h"

namespace wq::sync {

struct AntiEntropy::Core : std::enable_shared_from_this<AntiEntropy::Core> {
  Store& store;
  Transport& transport;
  AntiEntropyOptions options;
  Post post;
  weiquan::v1::AntiEntropyRequest page;  // the page in flight

  mutable std::mutex mutex;
  AntiEntropyStatus status;

  Core(Store& owner_store, Transport& link, AntiEntropyOptions anti_entropy_options, Post poster);

  std::int64_t now_ms() const;
  std::size_t page_size() const;
  // Runs `work` on the owner's thread, unless the AntiEntropy is gone by then.
  void post_to_owner(std::function<void(Core&)> work);
  template <class F>
  void update(F&& change) {
    std::lock_guard lock(mutex);
    change();
  }
  void diverged(const std::string& ticket_id);

  // Asking.
  void send_page(const std::string& after_id);
  void on_reply(Result<Transport::Bytes> reply);
  Status settle(const weiquan::v1::AntiEntropyReply& reply);
  void finish(std::string error);

  // Serving.
  void serve(const weiquan::v1::RpcRequest& request, const Transport::Respond& respond);
};

// The outbox rows (peer, ticket, from_seq .. to_seq) at `at_ms`.
void add_rows(std::vector<OutboxEntry>& rows, const std::string& peer, const std::string& ticket_id,
              std::uint64_t from_seq, std::uint64_t to_seq, std::int64_t at_ms);

// True when `id` lies in (after_id, until_id]; "" bounds are open.
bool in_range(const std::string& id, const std::string& after_id, const std::string& until_id);

// True when the wire bytes `wire` are the event id `id`.
bool same_head(const EventId& id, const std::string& wire);

}  // namespace wq::sync

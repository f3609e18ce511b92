// DirectorySync: spreads node certificates and revocations so that every node can route a ticket
// to any office and verify any author (DESIGN §5, "directory").
//
// Every node follows one source, the national node: refresh() announces this node's certificate
// chain to it and fetches, page by page, the certificates and revocations it holds from the
// position reached last time (its order of addition puts issuers first, so they can be added in
// that order). The source learns every office from their announcements. Every node answers these
// requests on its rpc channel (routed here by sync::RpcServer) from its own store, so any node
// could serve as a source.
//
// Nothing is trusted for arriving: each certificate must verify against its issuer and the trust
// anchor (Store::add_certificate), each revocation against the issuer it names; what fails is
// counted and left out. Requests and replies are size-limited (sync::kMaxTransportPayload).
//
// Threads: `with_store` runs a function on the thread that owns the store (the node's writer
// thread); every store access happens there, as does `on_change`. refresh(), status() and the
// transport's callbacks may run on any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

#include "weiquan/crypto/certificate.h"
#include "weiquan/sync/store.h"
#include "weiquan/sync/transport.h"
#include "weiquan/v1/weiquan.pb.h"

namespace wq::federation {

struct DirectorySyncOptions {
  std::string self;           // this node's id
  std::string source = "cn";  // the node whose directory this one follows
  std::chrono::milliseconds request_timeout{5000};
  std::function<std::int64_t()> now_ms;  // wall clock
};

struct DirectoryStatus {
  std::int64_t last_complete_ms = 0;  // when a refresh last fetched everything the source had
  std::uint64_t certificates_added = 0;
  std::uint64_t revocations_added = 0;
  std::uint64_t refused = 0;  // certificates or revocations that did not verify
  std::string last_error;     // code of the last failed request, "" after a success
};

class DirectorySync {
 public:
  using WithStore = std::function<void(std::function<void(sync::Store&)>)>;
  using OnChange = std::function<void(const crypto::TrustStore&)>;

  DirectorySync(sync::Transport& transport, DirectorySyncOptions options, WithStore with_store,
                OnChange on_change);
  DirectorySync(const DirectorySync&) = delete;
  DirectorySync& operator=(const DirectorySync&) = delete;

  // Answers a directory request (RpcServer has checked its size, version and origin).
  void handle(weiquan::v1::RpcRequest request, sync::Transport::Respond respond);

  // Announces and fetches until this node holds everything the source has; a no-op while a
  // refresh is under way, and at the source itself.
  void refresh();

  DirectoryStatus status() const;

 private:
  void request_page();
  void on_reply(Result<sync::Transport::Bytes> reply);
  void finish(std::string error);

  sync::Transport& transport_;
  DirectorySyncOptions options_;
  WithStore with_store_;
  OnChange on_change_;

  mutable std::mutex mutex_;
  bool refreshing_ = false;
  std::uint64_t certificates_from_ = 0;  // positions in the source's order reached so far
  std::uint64_t revocations_from_ = 0;
  DirectoryStatus status_;
};

}  // namespace wq::federation

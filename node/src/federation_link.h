// FederationLink: this node's part in the federation when `weiquan run --nats` names servers —
// the NATS transport, the replicator that delivers the outbox and applies what peers send
// (sync/replicator.h), the directory sync that spreads certificates (federation/directory_sync.h),
// the anti-entropy pass with the parent that repairs whatever was missed (sync/anti_entropy.h),
// and the taking in of tickets sent here: every ticket `routed`, `transferred` or `assigned` to
// this node (state in_transit, holder this node) gets its `received`, from which deadlines that
// run "from receipt" start. The rpc channel serves directory, anti-entropy and supervision
// requests (sync/rpc_server.h; supervision: federation/supervision_desk.h), and ask_holder() sends
// this node's supervision requests to the holders of tickets below it.
//
// Periodic work, posted to the writer thread: a replicator tick and the taking in every
// tick_interval (and a tick after each reply or request the transport hands over, so a peer gets
// its next batch as soon as it acknowledged the last), a directory refresh at start and every
// directory_interval, an anti-entropy pass at start and every anti_entropy_interval, a heartbeat
// to the parent at start and every heartbeat_interval (federation/heartbeat_exchange.h). The rpc
// channel takes the heartbeats of children into health(); a heartbeat from a node whose
// certificate is not known yet asks for a directory refresh. With a ReportBook in the options, the
// node reports its finished months to its parent at start and every report_interval
// (report_sender.h) and checks its children's reports on the rpc channel
// (federation/report_exchange.h): a difference is `behind` while a node of the child's subtree
// owes this node events by its newest heartbeat.
//
// Threads: start() and stop() on the main thread; the replicator lives on the writer thread (made,
// ticked and destroyed there). status() from any thread; its callback runs on the writer thread.
// Failure codes of start(): those of federation::NatsTransport::connect and Transport::serve.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "directory_snapshot.h"
#include "report_book.h"
#include "report_metrics.h"
#include "report_sender.h"
#include "store_writer.h"
#include "weiquan/crypto/keys.h"
#include "weiquan/federation/directory_sync.h"
#include "weiquan/federation/health_book.h"
#include "weiquan/federation/heartbeat_exchange.h"
#include "weiquan/federation/report_exchange.h"
#include "weiquan/federation/supervision_client.h"
#include "weiquan/federation/supervision_desk.h"
#include "weiquan/sync/anti_entropy.h"
#include "weiquan/sync/replicator.h"
#include "weiquan/sync/rpc_server.h"
#include "weiquan/sync/transport.h"

namespace wq::node {

struct FederationOptions {
  std::vector<std::string> nats_urls;
  std::chrono::milliseconds tick_interval{100};
  std::chrono::milliseconds directory_interval{60'000};
  std::chrono::milliseconds anti_entropy_interval{600'000};
  // Also sets what counts as live: heard within three intervals.
  std::chrono::milliseconds heartbeat_interval{15'000};
  // Period reports: where they are kept and the checks counted (both or neither; none: no reports
  // sent or checked), and how often finished months are reported again until settled.
  ReportBook* report_book = nullptr;
  ReportMetrics* report_metrics = nullptr;
  std::chrono::milliseconds report_interval{3'600'000};
};

class FederationLink {
 public:
  static Result<std::unique_ptr<FederationLink>> start(
      FederationOptions options, const std::string& node_id, const crypto::NodeKeys& keys,
      StoreWriter& writer, DirectorySnapshot& directory, boost::asio::io_context& io,
      std::function<std::int64_t()> now_ms);
  ~FederationLink();
  FederationLink(const FederationLink&) = delete;
  FederationLink& operator=(const FederationLink&) = delete;

  // Stops the timers, closes the transport and retires the replicator; before the writer closes.
  void stop();

  // {link, peers[], counters{}, directory{}, anti_entropy{}, supervision{}, heartbeats{},
  // descendants[], reports{}} for GET /api/v1/federation.
  void status(std::function<void(nlohmann::json)> done);

  // The newest heartbeat of every descendant (as_of / live tell whether a child region's figures
  // are current); any thread, for the link's lifetime.
  const federation::HealthBook& health() const { return *health_; }

  // Sends an urge or supervision request to the holder it names (federation::send_supervision);
  // `done` runs once, on a transport thread.
  void ask_holder(const federation::Supervision& request,
                  std::function<void(Result<federation::SupervisionAnswer>)> done);

  // Sends this node's report of `period` to its parent now (ReportSender::send); `done` runs once,
  // on a transport thread, or at once with node.no_parent (national node, or no ReportBook).
  void send_report(const ReportPeriod& period, ReportSender::Done done);

 private:
  FederationLink(FederationOptions options, std::string node_id, const crypto::NodeKeys& keys,
                 StoreWriter& writer, DirectorySnapshot& directory, boost::asio::io_context& io,
                 std::function<std::int64_t()> now_ms);
  // Runs `work` on the I/O thread every `interval` until `timer` is cancelled.
  void repeat(boost::asio::steady_timer& timer, std::chrono::milliseconds interval,
              std::function<void()> work);
  void schedule_tick();
  void schedule_refresh();
  void schedule_pass();
  void schedule_heartbeat();
  void schedule_reports();
  // On the writer thread, before the rpc channel is served: the report desk and sender.
  void make_reports(const std::string& parent);
  // On the writer thread, before the rpc channel is served: the HealthBook and the exchange.
  void make_heartbeats(const std::string& parent);
  // Runs `work` on the writer thread and waits for its result (the writer must be running).
  Status on_writer(std::function<Status(sync::Store&)> work);
  // On the writer thread: appends `received` to the tickets sent here.
  void take_in(sync::Store& store, sync::EventWriter& events);

  FederationOptions options_;
  std::string node_id_;
  const crypto::NodeKeys& keys_;
  StoreWriter& writer_;
  DirectorySnapshot& directory_;
  std::function<std::int64_t()> now_ms_;
  std::unique_ptr<sync::Transport> transport_;
  std::unique_ptr<federation::DirectorySync> directory_sync_;
  std::unique_ptr<federation::SupervisionDesk> supervision_;
  std::unique_ptr<sync::RpcServer> rpc_;
  std::unique_ptr<sync::Replicator> replicator_;     // touched on the writer thread only
  std::unique_ptr<sync::AntiEntropy> anti_entropy_;  // made and retired on the writer thread
  std::unique_ptr<federation::HealthBook> health_;
  std::unique_ptr<federation::HeartbeatExchange> heartbeats_;  // made on the writer thread
  std::unique_ptr<federation::ReportDesk> report_desk_;        // made on the writer thread
  std::unique_ptr<ReportSender> report_sender_;                // made there when there is a parent
  boost::asio::steady_timer tick_timer_;
  boost::asio::steady_timer refresh_timer_;
  boost::asio::steady_timer pass_timer_;
  boost::asio::steady_timer heartbeat_timer_;
  boost::asio::steady_timer report_timer_;
};

}  // namespace wq::node

#include "federation_link.h"

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <future>
#include <string_view>
#include <utility>

#include "health_report.h"
#include "weiquan/federation/nats_transport.h"
#include "weiquan/sync/node_id.h"

namespace wq::node {
namespace {

// Tickets taken in per tick: bounded so a large arrival does not hold up the writer.
constexpr std::size_t kTakeInPerTick = 200;

nlohmann::json peer_json(const sync::PeerStatus& peer) {
  return {{"node", peer.peer},
          {"backlog", peer.backlog},
          {"in_flight", peer.in_flight},
          {"last_ack_ms", peer.last_ack_ms},
          {"last_error", peer.last_error},
          {"next_attempt_ms", peer.next_attempt_ms},
          {"failed_attempts", peer.attempts}};
}

nlohmann::json counters_json(const sync::ReplicationCounters& c) {
  return {{"batches_sent", c.batches_sent},
          {"batches_acked", c.batches_acked},
          {"batches_failed", c.batches_failed},
          {"bad_acks", c.bad_acks},
          {"events_sent", c.events_sent},
          {"equivocation_alerts", c.equivocation_alerts},
          {"batches_received", c.batches_received},
          {"applied", c.applied},
          {"duplicates", c.duplicates},
          {"rejected", c.rejected},
          {"gaps", c.gaps},
          {"quarantined", c.quarantined},
          {"dropped_malformed", c.dropped_malformed},
          {"dropped_bad_signature", c.dropped_bad_signature},
          {"dropped_wrong_destination", c.dropped_wrong_destination},
          {"dropped_replayed", c.dropped_replayed},
          {"dropped_unknown_signer", c.dropped_unknown_signer},
          {"store_errors", c.store_errors}};
}

nlohmann::json directory_json(const federation::DirectoryStatus& d) {
  return {{"last_complete_ms", d.last_complete_ms},
          {"certificates_added", d.certificates_added},
          {"revocations_added", d.revocations_added},
          {"refused", d.refused},
          {"last_error", d.last_error}};
}

nlohmann::json anti_entropy_json(const sync::AntiEntropyStatus& s) {
  return {{"running", s.running},
          {"passes", s.passes},
          {"passes_failed", s.passes_failed},
          {"tickets_compared", s.tickets_compared},
          {"rows_for_parent", s.rows_for_parent},
          {"last_complete_ms", s.last_complete_ms},
          {"last_error", s.last_error},
          {"requests_served", s.requests_served},
          {"rows_for_askers", s.rows_for_askers},
          {"equivocations", s.equivocations},
          {"last_diverged_ticket", s.last_diverged_ticket}};
}

nlohmann::json reports_json(const federation::ReportDeskCounters& r) {
  return {{"match", r.match},
          {"mismatch", r.mismatch},
          {"behind", r.behind},
          {"refused", r.refused},
          {"last_refused", r.last_refused}};
}

// Whether a node of `child`'s subtree owed `self` events by its newest heartbeat held here.
bool subtree_owes(const federation::HealthBook& health, const crypto::TrustStore& trust,
                  const std::string& child, const std::string& self, std::int64_t now_ms) {
  const std::string_view region = sync::node_region(child);
  for (const federation::DescendantHealth& node : health.descendants(trust, now_ms)) {
    if (!node.latest || !node.region.starts_with(region)) continue;
    for (const weiquan::v1::PeerHealth& peer : node.latest->peers()) {
      if (peer.node_id() == self && peer.backlog() > 0) return true;
    }
  }
  return false;
}

nlohmann::json supervision_json(const federation::SupervisionCounters& s) {
  return {{"applied", s.applied},
          {"duplicates", s.duplicates},
          {"refused", s.refused},
          {"last_refused", s.last_refused}};
}

// The issuer of `node_id`'s certificate: its parent office ("" for the national node).
std::string parent_of(const crypto::TrustStore& trust, const std::string& node_id,
                      std::int64_t now_ms) {
  auto cert = trust.verify_chain(node_id, now_ms);
  if (!cert || (*cert)->cert.issuer == node_id) return {};
  return (*cert)->cert.issuer;
}

// WEIQUAN_FAULT=exit_before_ack makes the node exit (status kFaultExitStatus) right after it
// commits the first batch it receives and before it acks it: the test suite's crash between commit
// and ack, with real processes. Unset in operation.
constexpr int kFaultExitStatus = 75;

std::function<void()> fault_before_ack() {
  const char* fault = std::getenv("WEIQUAN_FAULT");
  if (fault == nullptr || std::string_view(fault) != "exit_before_ack") return {};
  return [] {
    spdlog::warn("WEIQUAN_FAULT=exit_before_ack: exiting after a commit, before its ack");
    spdlog::default_logger()->flush();
    std::_Exit(kFaultExitStatus);
  };
}

}  // namespace

FederationLink::FederationLink(FederationOptions options, std::string node_id,
                               const crypto::NodeKeys& keys, StoreWriter& writer,
                               DirectorySnapshot& directory, boost::asio::io_context& io,
                               std::function<std::int64_t()> now_ms)
    : options_(std::move(options)),
      node_id_(std::move(node_id)),
      keys_(keys),
      writer_(writer),
      directory_(directory),
      now_ms_(std::move(now_ms)),
      tick_timer_(io),
      refresh_timer_(io),
      pass_timer_(io),
      heartbeat_timer_(io),
      report_timer_(io) {}

Result<std::unique_ptr<FederationLink>> FederationLink::start(
    FederationOptions options, const std::string& node_id, const crypto::NodeKeys& keys,
    StoreWriter& writer, DirectorySnapshot& directory, boost::asio::io_context& io,
    std::function<std::int64_t()> now_ms) {
  federation::NatsOptions nats;
  nats.urls = options.nats_urls;
  nats.node_id = node_id;
  auto transport = federation::NatsTransport::connect(std::move(nats));
  if (!transport) return transport.error();
  std::unique_ptr<FederationLink> link(
      new FederationLink(std::move(options), node_id, keys, writer, directory, io, now_ms));
  link->transport_ = std::move(*transport);

  federation::DirectorySyncOptions directory_options;
  directory_options.self = node_id;
  directory_options.now_ms = now_ms;
  link->directory_sync_ = std::make_unique<federation::DirectorySync>(
      *link->transport_, std::move(directory_options),
      [&writer](std::function<void(sync::Store&)> work) {
        writer.post(
            [work = std::move(work)](sync::Store& store, sync::EventWriter&) { work(store); });
      },
      [&directory](const crypto::TrustStore& trust) { directory.publish(trust); });
  link->rpc_ = std::make_unique<sync::RpcServer>(*link->transport_);
  federation::DirectorySync* directory_sync = link->directory_sync_.get();
  link->rpc_->route(
      weiquan::v1::RpcRequest::kDirectory,
      [directory_sync](weiquan::v1::RpcRequest request, sync::Transport::Respond respond) {
        directory_sync->handle(std::move(request), std::move(respond));
      });
  link->supervision_ = std::make_unique<federation::SupervisionDesk>(
      node_id,
      [&writer](std::function<void(sync::Store&, sync::EventWriter&)> work) {
        writer.post([work = std::move(work)](sync::Store& store, sync::EventWriter& events) {
          work(store, events);
        });
      },
      now_ms);
  federation::SupervisionDesk* desk = link->supervision_.get();
  link->rpc_->route(weiquan::v1::RpcRequest::kSupervision,
                    [desk](weiquan::v1::RpcRequest request, sync::Transport::Respond respond) {
                      desk->handle(std::move(request), std::move(respond));
                    });

  // The replicator and the anti-entropy pass are made on the writer thread, which owns the store.
  FederationLink* self = link.get();
  if (Status ok = self->on_writer([self](sync::Store& store) -> Status {
        const auto post = [self](std::function<void()> work) {
          self->writer_.post([self, work = std::move(work)](sync::Store&, sync::EventWriter&) {
            work();
            // An ack frees its peer for the next batch now rather than at the next timer tick.
            if (self->replicator_) self->replicator_->tick();
          });
        };
        sync::ReplicatorOptions replicator_options;
        replicator_options.self = self->node_id_;
        replicator_options.key = &self->keys_.sign;
        replicator_options.now_ms = self->now_ms_;
        replicator_options.before_ack = fault_before_ack();
        self->replicator_ = std::make_unique<sync::Replicator>(store, *self->transport_,
                                                               std::move(replicator_options), post);
        const std::string parent = parent_of(store.trust(), self->node_id_, self->now_ms_());
        sync::AntiEntropyOptions pass_options;
        pass_options.self = self->node_id_;
        pass_options.parent = parent;
        pass_options.now_ms = self->now_ms_;
        self->anti_entropy_ = std::make_unique<sync::AntiEntropy>(store, *self->transport_,
                                                                  std::move(pass_options), post);
        self->rpc_->route(weiquan::v1::RpcRequest::kAntiEntropy, self->anti_entropy_->handler());
        self->make_heartbeats(parent);
        self->make_reports(parent);
        if (Status served = self->rpc_->start(); !served) return served;
        return self->replicator_->start();
      });
      !ok) {
    return ok.error();
  }
  link->directory_sync_->refresh();
  link->writer_.post([self](sync::Store&, sync::EventWriter&) {
    if (self->anti_entropy_) self->anti_entropy_->start_pass();
  });
  link->schedule_tick();
  link->schedule_refresh();
  link->schedule_pass();
  link->writer_.post([self](sync::Store&, sync::EventWriter&) { self->heartbeats_->beat(); });
  link->schedule_heartbeat();
  link->writer_.post([self](sync::Store& store, sync::EventWriter&) {
    if (self->report_sender_) self->report_sender_->send_due(store);
  });
  link->schedule_reports();
  return link;
}

FederationLink::~FederationLink() {
  stop();
}

void FederationLink::stop() {
  if (!transport_) return;
  tick_timer_.cancel();
  refresh_timer_.cancel();
  pass_timer_.cancel();
  heartbeat_timer_.cancel();
  report_timer_.cancel();
  // The replicator retires first (it sends through the transport), on its own thread; then the
  // transport closes, after which none of its callbacks runs.
  (void)on_writer([this](sync::Store&) -> Status {
    replicator_.reset();
    anti_entropy_.reset();
    heartbeats_.reset();
    report_sender_.reset();
    return {};
  });
  transport_.reset();
}

Status FederationLink::on_writer(std::function<Status(sync::Store&)> work) {
  std::promise<Status> done;
  auto result = done.get_future();
  writer_.post(
      [&work, &done](sync::Store& store, sync::EventWriter&) { done.set_value(work(store)); });
  return result.get();
}

void FederationLink::repeat(boost::asio::steady_timer& timer, std::chrono::milliseconds interval,
                            std::function<void()> work) {
  timer.expires_after(interval);
  timer.async_wait([this, &timer, interval,
                    work = std::move(work)](const boost::system::error_code& ec) mutable {
    if (ec) return;
    work();
    repeat(timer, interval, std::move(work));
  });
}

void FederationLink::schedule_tick() {
  repeat(tick_timer_, options_.tick_interval, [this] {
    writer_.post([this](sync::Store& store, sync::EventWriter& events) {
      if (!replicator_) return;
      take_in(store, events);
      replicator_->tick();
    });
  });
}

void FederationLink::schedule_refresh() {
  repeat(refresh_timer_, options_.directory_interval, [this] { directory_sync_->refresh(); });
}

void FederationLink::schedule_pass() {
  repeat(pass_timer_, options_.anti_entropy_interval, [this] {
    writer_.post([this](sync::Store&, sync::EventWriter&) {
      if (anti_entropy_) anti_entropy_->start_pass();
    });
  });
}

void FederationLink::schedule_heartbeat() {
  repeat(heartbeat_timer_, options_.heartbeat_interval, [this] {
    writer_.post([this](sync::Store&, sync::EventWriter&) {
      if (heartbeats_) heartbeats_->beat();
    });
  });
}

void FederationLink::schedule_reports() {
  repeat(report_timer_, options_.report_interval, [this] {
    writer_.post([this](sync::Store& store, sync::EventWriter&) {
      if (report_sender_) report_sender_->send_due(store);
    });
  });
}

void FederationLink::make_reports(const std::string& parent) {
  ReportBook* book = options_.report_book;
  ReportMetrics* metrics = options_.report_metrics;
  if (book == nullptr || metrics == nullptr) return;
  report_desk_ = std::make_unique<federation::ReportDesk>(
      node_id_,
      [this](std::function<void(sync::Store&)> work) {
        writer_.post(
            [work = std::move(work)](sync::Store& store, sync::EventWriter&) { work(store); });
      },
      [this](const std::string& child, const crypto::TrustStore& trust) {
        return subtree_owes(*health_, trust, child, node_id_, now_ms_());
      },
      [book, metrics](const federation::CheckedReport& checked) -> Result<bool> {
        auto kept = book->keep_received(checked);
        if (!kept || !*kept) return kept;
        const auto& body = checked.report.body;
        const auto& comparison = checked.comparison;
        metrics->checked(comparison.outcome);
        if (comparison.outcome == weiquan::v1::REPORT_OUTCOME_MISMATCH) {
          std::string differing;
          for (const std::string& name : comparison.differing) differing += " " + name;
          spdlog::warn("report of {} for {}-{} does not match:{} ({} tickets there, {} here)",
                       body.node_id(), body.from_day(), body.to_day(), differing,
                       comparison.child_tickets, comparison.parent_tickets);
        }
        return true;
      },
      now_ms_);
  rpc_->route(weiquan::v1::RpcRequest::kReport, report_desk_->handler());
  if (parent.empty()) return;
  report_sender_ =
      std::make_unique<ReportSender>(node_id_, parent, keys_.sign, *transport_, *book, now_ms_);
}

void FederationLink::send_report(const ReportPeriod& period, ReportSender::Done done) {
  writer_.post(
      [this, period, done = std::move(done)](sync::Store& store, sync::EventWriter&) mutable {
        if (!report_sender_) {
          return done(make_error("node.no_parent", "this node has no parent to report to"));
        }
        report_sender_->send(store, period, std::move(done));
      });
}

void FederationLink::make_heartbeats(const std::string& parent) {
  federation::HealthBookOptions book;
  book.self = node_id_;
  book.live_window_ms = 3 * options_.heartbeat_interval.count();
  health_ = std::make_unique<federation::HealthBook>(std::move(book));
  federation::HeartbeatOptions options;
  options.self = node_id_;
  options.parent = parent;
  options.now_ms = now_ms_;
  // A directory refresh brings the certificates of offices enrolled since the last one.
  options.on_unknown_node = [this] { directory_sync_->refresh(); };
  heartbeats_ = std::make_unique<federation::HeartbeatExchange>(
      *transport_, keys_.sign, *health_, std::move(options),
      [this](std::function<void(const crypto::TrustStore&)> work) {
        writer_.post([work = std::move(work)](sync::Store& store, sync::EventWriter&) {
          work(store.trust());
        });
      },
      [this] {  // on the writer thread, which owns the replicator and the pass
        return heartbeat_report(
            transport_->state(),
            replicator_ ? replicator_->peers() : std::vector<sync::PeerStatus>{},
            anti_entropy_ ? anti_entropy_->status() : sync::AntiEntropyStatus{});
      });
  rpc_->route(weiquan::v1::RpcRequest::kHeartbeats, heartbeats_->handler());
}

void FederationLink::take_in(sync::Store& store, sync::EventWriter& events) {
  sync::TicketQuery sent_here;
  sent_here.state = "in_transit";
  sent_here.holder = node_id_;
  sent_here.limit = kTakeInPerTick;
  auto tickets = store.reader().tickets(sent_here);
  if (!tickets) {
    spdlog::error("tickets sent here: {}: {}", tickets.error().code, tickets.error().message);
    return;
  }
  for (const sync::Ticket& ticket : *tickets) {
    weiquan::v1::EventBody received;
    received.mutable_actor()->set_role(weiquan::v1::ROLE_SYSTEM);
    received.mutable_received();
    auto written = events.append(ticket.id, std::move(received), now_ms_());
    if (!written) {
      spdlog::error("receiving {}: {}: {}", ticket.id, written.error().code,
                    written.error().message);
    }
  }
}

void FederationLink::ask_holder(const federation::Supervision& request,
                                std::function<void(Result<federation::SupervisionAnswer>)> done) {
  federation::send_supervision(*transport_, request, std::move(done));
}

void FederationLink::status(std::function<void(nlohmann::json)> done) {
  const std::string link{
      sync::link_state_name(transport_ ? transport_->state() : sync::LinkState::down)};
  const auto directory = directory_sync_->status();
  const auto supervision = supervision_->counters();
  writer_.post([this, link, directory, supervision, done = std::move(done)](sync::Store& store,
                                                                            sync::EventWriter&) {
    nlohmann::json reports = nlohmann::json::object();
    if (report_desk_) reports = reports_json(report_desk_->counters());
    nlohmann::json peers = nlohmann::json::array();
    nlohmann::json counters = nlohmann::json::object();
    nlohmann::json pass = nlohmann::json::object();
    if (replicator_) {
      for (const sync::PeerStatus& peer : replicator_->peers()) peers.push_back(peer_json(peer));
      counters = counters_json(replicator_->counters());
    }
    if (anti_entropy_) pass = anti_entropy_json(anti_entropy_->status());
    nlohmann::json heartbeats = nlohmann::json::object();
    if (heartbeats_) heartbeats = heartbeats_json(heartbeats_->status(), health_->counters());
    done({{"node", node_id_},
          {"link", link},
          {"peers", std::move(peers)},
          {"counters", std::move(counters)},
          {"directory", directory_json(directory)},
          {"anti_entropy", std::move(pass)},
          {"supervision", supervision_json(supervision)},
          {"heartbeats", std::move(heartbeats)},
          {"descendants", descendants_json(health_->descendants(store.trust(), now_ms_()))},
          {"reports", std::move(reports)}});
  });
}

}  // namespace wq::node

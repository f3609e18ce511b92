// Replication over real nats-servers, against the machine's own limits measured in the same run:
//   (1) catch-up after a partition heals: a county store A authors tickets (`submitted`, `routed`
//       to itself, `received`: three events each, owed to the city B by an interest function)
//       while no transport runs, until A's outbox holds `events` events; then a nats-server,
//       NatsTransport for A and B and a Replicator for each start, each node on its own thread
//       that owns its store and ticks after every round of posted work and at least every
//       --tick-ms. Reported: events per second from A's first tick until A sees its outbox
//       empty (B acks only after its commit, so B then holds every event), its ratio to
//       the Ed25519 verify rate over event-sized bodies on one core (best of rounds before and
//       after), batches, bytes, the receiver's counters and each side's CPU time. Once for every
//       max_batch_events asked for (fresh stores each time).
//   (2) submit-to-persisted latency across a leaf chain of `depth` nats-servers (national <-
//       province <- city <- county, each a leaf of the one above): A on the bottom server, B on
//       the top. One ticket at a time: from before A's intake_batch (commit with fsync) and tick
//       to the moment B's thread has applied the ticket's three events (verify, commit with fsync;
//       the ack's way back is not included). p50, p90, p99, max, split into A's commit, A's tick,
//       NATS and B's work; beside them the NATS request round trip over the same chain and the
//       disk's fdatasync time.
// Checks at the end of each catch-up: B holds as many events and tickets as A, with the same head
// on every ticket, every chain and certificate in B's store verifies (sync::verify_store), A's
// outbox is empty and B applied each event once.
//
// Usage: weiquan_catchup_bench [events] [--leaf-depth N] [--batches N[,N...]]
//                              [--tick-ms N]
//        (defaults 100000, 4, 256,1024 and 5)
// Exit status: 0 when every check held, 1 otherwise, 2 for bad arguments.
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "measure.h"
#include "must.h"
#include "nats_server.h"
#include "node_certificates.h"
#include "temp_dir.h"
#include "weiquan/crypto/seal.h"
#include "weiquan/crypto/signing.h"
#include "weiquan/federation/nats_transport.h"
#include "weiquan/sync/event_writer.h"
#include "weiquan/sync/replicator.h"
#include "weiquan/sync/store.h"
#include "weiquan/sync/verify.h"

namespace {

using namespace std::chrono_literals;
using namespace wq;
using Clock = std::chrono::steady_clock;
using testing::deadline_in;
using testing::fail;
using testing::must;
using testing::NatsServer;
using testing::NatsServerConfig;
using testing::percentile;
using testing::process_cpu_seconds;
using testing::TempDir;
using testing::wall_ms;

constexpr const char* kCounty = "440305";  // A, the author
constexpr const char* kCity = "4403";      // B, the receiver
constexpr std::size_t kIntakeBatch = 512;  // tickets per authoring transaction
constexpr std::size_t kVerifyRounds = 3;   // before and after each catch-up
constexpr std::size_t kRoundVerifies = 5'000;
constexpr std::size_t kWarmUpTickets = 50;
constexpr std::size_t kLatencyTickets = 500;
constexpr std::size_t kRoundTrips = 200;
constexpr std::size_t kSyncs = 50;
constexpr std::size_t kMaxLeafDepth = 8;
constexpr auto kStepBound = 30s;  // for one ticket, one round trip, the link to come up

double ms_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

double cpu_seconds(clockid_t clock) {
  timespec now{};
  ::clock_gettime(clock, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

// --- The federation ---------------------------------------------------------------------------

// cn > 44 > 4403 > 440305: keys and certificates; every store knows all of them.
class Federation {
 public:
  Federation() {
    add("cn", crypto::Level::national, "cn");
    add("44", crypto::Level::province, "cn");
    add(kCity, crypto::Level::city, "44");
    add(kCounty, crypto::Level::county, kCity);
  }

  const crypto::NodeKeys& keys(const std::string& id) const { return *keys_.at(id); }

  sync::Store open_store(const std::filesystem::path& path) const {
    sync::StoreOptions options;
    options.path = path;
    options.anchor_key = keys("cn").sign.public_key;
    sync::Store store = must(sync::Store::open(options), "open " + path.string());
    for (const auto& cert : certificates_) must(store.add_certificate(cert), "add certificate");
    return store;
  }

 private:
  void add(const std::string& id, crypto::Level level, const std::string& issuer) {
    auto keys = std::make_unique<crypto::NodeKeys>(crypto::NodeKeys::generate());
    if (level == crypto::Level::national) {
      certificates_.push_back(must(testing::anchor_certificate(*keys), "anchor"));
    } else {
      certificates_.push_back(
          must(testing::node_certificate(id, level, *keys, issuer, this->keys(issuer).sign),
               "certify " + id));
    }
    keys_.emplace(id, std::move(keys));
  }

  std::map<std::string, std::unique_ptr<crypto::NodeKeys>> keys_;
  std::vector<crypto::SignedCertificate> certificates_;  // issuers first
};

// The `n`th complaint filed online at the county, which has jurisdiction: `submitted` with the
// consumer's personal data sealed for the county (`sealed`), `routed` to itself, `received`.
sync::NewTicket county_ticket(std::size_t n, const crypto::Bytes& sealed) {
  const std::string number = std::to_string(n);
  sync::NewTicket ticket;
  ticket.competent_office = kCounty;
  auto& body = ticket.submitted;
  body.mutable_actor()->set_role(weiquan::v1::ROLE_CONSUMER);
  body.mutable_actor()->set_id("c-" + std::to_string(n % 1000));
  auto& submitted = *body.mutable_submitted();
  submitted.set_type(weiquan::v1::TICKET_TYPE_COMPLAINT);
  submitted.set_channel(weiquan::v1::CHANNEL_WEB);
  submitted.set_received_at_ms(wall_ms());
  submitted.set_jurisdiction_region(kCounty);
  submitted.mutable_business()->set_name("深圳市南山区第" + number + "号电器商行");
  submitted.set_category("家用电器");
  submitted.set_amount_fen(129900 + static_cast<std::int64_t>(n % 5000) * 100);
  submitted.set_description("本人于上月在该店购买空调（订单号 " + number +
                            "），安装后不制冷，多次联系商家，商家拒绝退货。");
  submitted.set_demands("退货退款");
  auto& personal = *submitted.add_personal();
  personal.set_node_id(kCounty);
  personal.set_box(sealed.data(), sealed.size());

  weiquan::v1::EventBody routed;
  routed.mutable_actor()->set_role(weiquan::v1::ROLE_SYSTEM);
  routed.mutable_routed()->set_to_node(kCounty);
  routed.mutable_routed()->set_region(kCounty);
  weiquan::v1::EventBody received;
  received.mutable_actor()->set_role(weiquan::v1::ROLE_SYSTEM);
  received.mutable_received();
  ticket.then = {std::move(routed), std::move(received)};
  return ticket;
}

// The consumer's personal data sealed for the county once, as a registration keeps it.
crypto::Bytes sealed_consumer(const Federation& federation) {
  const std::string person =
      R"({"name":"张伟","id_number":"44030519900101123X","phone":"13812345678",)"
      R"("address":"广东省深圳市南山区某某路1号"})";
  return must(crypto::seal(federation.keys(kCounty).box.public_key, crypto::as_bytes(person)),
              "seal");
}

// A writer at the county that owes every event it authors to the city.
sync::EventWriter county_writer(const Federation& federation, sync::Store& store) {
  auto writer =
      must(sync::EventWriter::create(store, federation.keys(kCounty).sign, kCounty, wall_ms()),
           "writer");
  writer.set_interest([](const sync::Ticket&, const sync::SignedEvent&) {
    return std::vector<std::string>{kCity};
  });
  return writer;
}

// --- Nodes in this process ----------------------------------------------------------------------

// The transport with the bytes of the requests sent and of the replies received counted (for a
// sender: envelopes and acks), and the time of the last request handed to NATS.
class CountingTransport final : public sync::Transport {
 public:
  explicit CountingTransport(std::unique_ptr<sync::Transport> inner) : inner_(std::move(inner)) {}

  const std::string& self() const override { return inner_->self(); }
  Status serve(sync::Channel channel, Handler handler) override {
    return inner_->serve(channel, std::move(handler));
  }
  void request(const std::string& to, sync::Channel channel, Bytes request,
               std::chrono::milliseconds timeout, Done done) override {
    sent_ += request.size();
    last_request_ = Clock::now().time_since_epoch().count();
    inner_->request(to, channel, std::move(request), timeout,
                    [this, done = std::move(done)](Result<Bytes> reply) {
                      if (reply) received_ += reply->size();
                      done(std::move(reply));
                    });
  }
  sync::LinkState state() const override { return inner_->state(); }

  std::uint64_t bytes_sent() const { return sent_; }
  std::uint64_t bytes_received() const { return received_; }
  Clock::time_point last_request() const {
    return Clock::time_point(Clock::duration(last_request_.load()));
  }

 private:
  // Before inner_: its destructor still runs `done` callbacks that count.
  std::atomic<std::uint64_t> sent_{0};
  std::atomic<std::uint64_t> received_{0};
  std::atomic<Clock::rep> last_request_{0};
  std::unique_ptr<sync::Transport> inner_;
};

// The thread that owns one store, as a node's writer strand does: it runs the functions posted to
// it in order and, after each round of them and at least every `period`, calls `after` (the
// replicator's tick and what the bench watches). post() is safe from any thread; the queue holds
// what the transport hands over, a batch or an ack per peer at a time.
class OwnerThread {
 public:
  explicit OwnerThread(std::chrono::milliseconds period) : period_(period) {}
  ~OwnerThread() { stop(); }

  void post(std::function<void()> work) {
    {
      std::lock_guard lock(mutex_);
      queue_.push_back(std::move(work));
    }
    wake_.notify_one();
  }

  void start(std::function<void()> after) {
    after_ = std::move(after);
    thread_ = std::thread([this] { run(); });
  }

  // Joins the thread; what is still queued is never run.
  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
  }

  // CPU seconds the thread used, once stopped.
  double cpu_seconds() const { return cpu_seconds_; }
  // On the thread (in `after`): when the current round's first posted function began.
  Clock::time_point round_started() const { return round_started_; }

 private:
  void run() {
    auto next_tick = Clock::now();
    while (true) {
      std::deque<std::function<void()>> work;
      {
        std::unique_lock lock(mutex_);
        wake_.wait_until(lock, next_tick, [&] { return stopping_ || !queue_.empty(); });
        if (stopping_) break;
        work.swap(queue_);
      }
      round_started_ = Clock::now();
      for (auto& one : work) one();
      after_();
      next_tick = Clock::now() + period_;
    }
    cpu_seconds_ = ::cpu_seconds(CLOCK_THREAD_CPUTIME_ID);
  }

  const std::chrono::milliseconds period_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::function<void()> after_;
  std::thread thread_;
  double cpu_seconds_ = 0;
  Clock::time_point round_started_;
};

// One node: its store (the main thread's until start(), then its thread's until stop()), its NATS
// transport and its replicator, whose `post` queues onto the node's thread.
class Replica {
 public:
  Replica(const Federation& federation, std::string id, const std::filesystem::path& db,
          std::chrono::milliseconds tick_period)
      : federation_(federation),
        id_(std::move(id)),
        store_(federation.open_store(db)),
        thread_(tick_period) {}
  ~Replica() { stop(); }
  Replica(const Replica&) = delete;
  Replica& operator=(const Replica&) = delete;

  // Connects to `url` (bounded wait for the link) and makes the replicator.
  void link(const std::string& url, std::size_t max_batch_events) {
    federation::NatsOptions options;
    options.urls = {url};
    options.node_id = id_;
    transport_ = std::make_unique<CountingTransport>(
        must(federation::NatsTransport::connect(options), "connect " + id_));
    const auto deadline = deadline_in(kStepBound);
    while (transport_->state() != sync::LinkState::up) {
      if (Clock::now() > deadline) fail("connect " + id_, "the link did not come up");
      std::this_thread::sleep_for(10ms);
    }
    sync::ReplicatorOptions replicator;
    replicator.self = id_;
    replicator.key = &federation_.keys(id_).sign;
    replicator.max_batch_events = max_batch_events;
    replicator_ = std::make_unique<sync::Replicator>(
        store_, *transport_, replicator,
        [this](std::function<void()> work) { thread_.post(std::move(work)); });
  }

  // Serves the sync channel and starts the thread: each round ends with a tick, then `watch`.
  void start(std::function<void()> watch) {
    must(replicator_->start(), "serve " + id_);
    thread_.start([this, watch = std::move(watch)] {
      replicator_->tick();
      watch();
    });
  }

  // Stops the thread and closes the transport; the store and the counters stay readable.
  void stop() {
    thread_.stop();
    transport_.reset();
  }

  sync::Store& store() { return store_; }
  sync::Replicator& replicator() { return *replicator_; }
  CountingTransport& transport() { return *transport_; }
  OwnerThread& thread() { return thread_; }

  // True when the status of `peer` says nothing is owed to it or in flight.
  bool drained_to(const std::string& peer) const {
    for (const sync::PeerStatus& status : replicator_->peers()) {
      if (status.peer == peer) return status.backlog == 0 && !status.in_flight;
    }
    return false;
  }

 private:
  const Federation& federation_;
  std::string id_;
  sync::Store store_;
  OwnerThread thread_;
  // Destroyed before the thread object: the transport's last callbacks still post to it.
  std::unique_ptr<sync::Replicator> replicator_;
  std::unique_ptr<CountingTransport> transport_;
};

// The first time something happened, noted on one thread and awaited on another.
class Moment {
 public:
  void mark(Clock::time_point at = Clock::now()) {
    {
      std::lock_guard lock(mutex_);
      if (!at_) at_ = at;
    }
    changed_.notify_all();
  }
  void reset() {
    std::lock_guard lock(mutex_);
    at_.reset();
  }
  Clock::time_point wait(const std::string& what) {
    std::unique_lock lock(mutex_);
    if (!changed_.wait_for(lock, kStepBound, [&] { return at_.has_value(); })) {
      fail(what, "not within the bound");
    }
    return *at_;
  }
  // For a long wait: the bound is the caller's.
  std::optional<Clock::time_point> wait_until(Clock::time_point deadline) {
    std::unique_lock lock(mutex_);
    changed_.wait_until(lock, deadline, [&] { return at_.has_value(); });
    return at_;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::optional<Clock::time_point> at_;
};

// --- Limits of the machine ----------------------------------------------------------------------

// Ed25519 verifications per second on one thread over bodies of `body_bytes`, the best of
// kVerifyRounds rounds.
double verify_rate(const crypto::SigningKeyPair& key, std::size_t body_bytes) {
  crypto::Bytes body(std::max<std::size_t>(body_bytes, 1), 0x5a);
  const crypto::Signature signature = crypto::sign(key, crypto::Domain::event, body);
  double best = 0;
  for (std::size_t round = 0; round < kVerifyRounds; ++round) {
    bool ok = true;
    const auto start = Clock::now();
    for (std::size_t i = 0; i < kRoundVerifies; ++i) {
      ok &= crypto::verify(key.public_key, crypto::Domain::event, body, signature);
    }
    const double rate =
        kRoundVerifies / std::chrono::duration<double>(Clock::now() - start).count();
    if (!ok) fail("verify rate", "a good signature did not verify");
    best = std::max(best, rate);
  }
  return best;
}

// Milliseconds of each of kSyncs fdatasync calls after a 4 KiB append to a file in `dir`, sorted.
std::vector<double> fdatasync_ms(const std::filesystem::path& dir) {
  const std::string path = (dir / "fsync.probe").string();
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) fail("fdatasync probe", std::strerror(errno));
  const std::vector<char> block(4096, 'x');
  std::vector<double> times;
  for (std::size_t i = 0; i < kSyncs; ++i) {
    const auto start = Clock::now();
    const bool ok = ::write(fd, block.data(), block.size()) == static_cast<ssize_t>(block.size()) &&
                    ::fdatasync(fd) == 0;
    times.push_back(ms_between(start, Clock::now()));
    if (!ok) {
      ::close(fd);
      fail("fdatasync probe", std::strerror(errno));
    }
  }
  ::close(fd);
  std::sort(times.begin(), times.end());
  return times;
}

// --- Checks -------------------------------------------------------------------------------------

std::uint64_t outbox_rows(const sync::Store& store) {
  std::uint64_t rows = 0;
  for (const auto& peer : must(store.reader().outbox_backlog(), "outbox backlog"))
    rows += peer.rows;
  return rows;
}

// Every ticket of `from`, by id, has the same last seq and head in `to`, and `to` has no others.
// Returns how many tickets were compared.
std::size_t compare_heads(const sync::Store& from, const sync::Store& to) {
  sync::TicketQuery page;
  page.limit = sync::kMaxTicketQueryLimit;
  std::size_t compared = 0;
  while (true) {
    const auto mine = must(from.reader().tickets(page), "tickets of A");
    const auto theirs = must(to.reader().tickets(page), "tickets of B");
    if (mine.size() != theirs.size()) fail("compare", "B holds a different set of tickets");
    for (std::size_t i = 0; i < mine.size(); ++i) {
      if (mine[i].id != theirs[i].id || mine[i].last_seq != theirs[i].last_seq ||
          mine[i].head != theirs[i].head) {
        fail("compare", "ticket " + mine[i].id + " differs between A and B");
      }
    }
    compared += mine.size();
    if (mine.empty()) return compared;
    page.after_id = mine.back().id;
  }
}

// --- (1) Catch-up after a partition heals -----------------------------------------------------

struct CatchUp {
  std::size_t max_batch = 0;
  std::chrono::milliseconds tick_period{0};
  std::size_t tickets = 0;
  std::size_t events = 0;
  double body_bytes = 0;               // mean size of the signed event bodies
  double author_seconds = 0;           // authoring during the partition
  double seconds = 0;                  // first tick until A's outbox is empty
  double verify_rate = 0;              // best round before and after
  sync::ReplicationCounters sent;      // A's
  sync::ReplicationCounters received;  // B's
  std::uint64_t bytes_sent = 0;        // envelopes
  std::uint64_t bytes_received = 0;    // acks
  double sender_cpu = 0;               // A's thread
  double receiver_cpu = 0;             // B's thread
  double process_cpu = 0;              // this process, nats.c threads included
  double server_cpu = 0;               // nats-server
};

// A authors tickets, `kIntakeBatch` per transaction, until it owes B at least `events` events.
void author(CatchUp& run, sync::EventWriter& writer, std::size_t events,
            const crypto::Bytes& sealed) {
  const std::size_t tickets = (events + 2) / 3;
  std::size_t body_bytes = 0;
  const auto start = Clock::now();
  for (std::size_t first = 0; first < tickets; first += kIntakeBatch) {
    std::vector<sync::NewTicket> drafts;
    for (std::size_t n = first; n < std::min(tickets, first + kIntakeBatch); ++n) {
      drafts.push_back(county_ticket(n, sealed));
    }
    for (auto& one : must(writer.intake_batch(drafts, wall_ms()), "intake batch")) {
      const sync::Intake intake = must(std::move(one), "intake");
      body_bytes += intake.submission.event.body_bytes.size();
      for (const auto& event : intake.then) body_bytes += event.body_bytes.size();
      run.events += 1 + intake.then.size();
    }
  }
  run.author_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  run.tickets = tickets;
  run.body_bytes = static_cast<double>(body_bytes) / static_cast<double>(run.events);
}

CatchUp catch_up(const Federation& federation, const std::filesystem::path& dir, std::size_t events,
                 std::size_t max_batch, std::chrono::milliseconds tick_period) {
  std::filesystem::create_directories(dir);
  CatchUp run;
  run.max_batch = max_batch;
  run.tick_period = tick_period;
  Replica a(federation, kCounty, dir / "a.db", tick_period);
  Replica b(federation, kCity, dir / "b.db", tick_period);
  {
    sync::EventWriter writer = county_writer(federation, a.store());
    author(run, writer, events, sealed_consumer(federation));
  }
  if (outbox_rows(a.store()) != run.events)
    fail("partition", "A's outbox does not hold every event");
  run.verify_rate = verify_rate(federation.keys(kCounty).sign, std::lround(run.body_bytes));

  // The partition heals.
  NatsServer server(dir / "nats");
  a.link(server.url(), max_batch);
  b.link(server.url(), max_batch);
  b.start([] {});
  Moment drained;
  const double server_cpu = process_cpu_seconds(server.pid());
  const double process_cpu = cpu_seconds(CLOCK_PROCESS_CPUTIME_ID);
  const auto healed = Clock::now();  // A's thread begins with a tick
  a.start([&] {
    if (a.drained_to(kCity)) drained.mark();
  });
  const auto bound = deadline_in(60s) + std::chrono::milliseconds(events * 5);  // >= 200/s
  const auto end = drained.wait_until(bound);
  run.process_cpu = cpu_seconds(CLOCK_PROCESS_CPUTIME_ID) - process_cpu;
  run.server_cpu = process_cpu_seconds(server.pid()) - server_cpu;
  run.bytes_sent = a.transport().bytes_sent();
  run.bytes_received = a.transport().bytes_received();
  a.stop();
  b.stop();
  run.sent = a.replicator().counters();
  run.received = b.replicator().counters();
  if (!end) fail("catch-up", "A's outbox did not drain within the bound");
  run.seconds = std::chrono::duration<double>(*end - healed).count();
  run.sender_cpu = a.thread().cpu_seconds();
  run.receiver_cpu = b.thread().cpu_seconds();
  run.verify_rate = std::max(
      run.verify_rate, verify_rate(federation.keys(kCounty).sign, std::lround(run.body_bytes)));

  // Checks.
  if (outbox_rows(a.store()) != 0) fail("check", "A's outbox is not empty");
  if (run.received.applied != run.events || run.received.rejected != 0 ||
      run.received.quarantined != 0) {
    fail("check", "B applied " + std::to_string(run.received.applied) + " of " +
                      std::to_string(run.events) + " events, rejected " +
                      std::to_string(run.received.rejected) + ", quarantined " +
                      std::to_string(run.received.quarantined));
  }
  const sync::VerifyReport report = must(
      sync::verify_store(b.store().reader(), federation.keys("cn").sign.public_key), "verify B");
  if (!report.ok()) fail("verify B", report.summary());
  if (report.events != run.events || report.tickets != run.tickets) {
    fail("check", "B holds " + std::to_string(report.events) + " events of " +
                      std::to_string(report.tickets) + " tickets, A authored " +
                      std::to_string(run.events) + " of " + std::to_string(run.tickets));
  }
  if (compare_heads(a.store(), b.store()) != run.tickets) fail("check", "ticket count differs");
  return run;
}

// --- (2) Submit-to-persisted latency across the leaf chain -----------------------------------

// Milliseconds per measured ticket, each vector sorted once measured.
struct Latency {
  std::size_t depth = 0;
  std::vector<double> total;    // before A's commit until B applied the ticket's last event
  std::vector<double> commit;   // A: intake_batch (three events and the receipt signed, fsync)
  std::vector<double> send;     // A: tick until it hands the envelope to NATS (read, sign)
  std::vector<double> transit;  // publish, NATS hops, until B's thread takes up the envelope
  std::vector<double> apply;    // B: decode, verify, apply, commit (fsync), ack signed and sent
  std::vector<double> round_trip_ms;  // NATS request A -> B -> A
  std::vector<double> fdatasync_ms;
};

// Servers named after the levels, the first at the top; each one after it a leaf of the one
// before.
std::vector<std::unique_ptr<NatsServer>> leaf_chain(const std::filesystem::path& dir,
                                                    std::size_t depth) {
  static const char* const kNames[kMaxLeafDepth] = {"national", "province", "city",  "county",
                                                    "station",  "leaf6",    "leaf7", "leaf8"};
  std::vector<std::unique_ptr<NatsServer>> chain;
  for (std::size_t i = 0; i < depth; ++i) {
    NatsServerConfig config;
    config.name = kNames[i];
    config.accept_leafs = i + 1 < depth;
    if (i > 0) config.leaf_remotes = {chain.back()->leaf_url()};
    chain.push_back(std::make_unique<NatsServer>(dir, config));
  }
  return chain;
}

// Milliseconds of one request from A to B's echo on the rpc channel and back.
std::optional<double> round_trip(sync::Transport& from, std::chrono::milliseconds timeout) {
  auto answered = std::make_shared<std::promise<bool>>();
  auto reply = answered->get_future();
  const auto start = Clock::now();
  from.request(
      kCity, sync::Channel::rpc, sync::Transport::Bytes(64, 0x5a), timeout,
      [answered](Result<sync::Transport::Bytes> outcome) { answered->set_value(outcome.ok()); });
  if (reply.wait_for(timeout + kStepBound) != std::future_status::ready || !reply.get()) {
    return std::nullopt;
  }
  return ms_between(start, Clock::now());
}

// When A began a ticket, had committed it and handed its envelope to NATS.
struct Sent {
  Clock::time_point start;
  Clock::time_point committed;
  Clock::time_point sent;
};

Latency latency(const Federation& federation, const std::filesystem::path& dir, std::size_t depth,
                std::chrono::milliseconds tick_period) {
  std::filesystem::create_directories(dir);
  Latency run;
  run.depth = depth;
  run.fdatasync_ms = fdatasync_ms(dir);
  const auto chain = leaf_chain(dir / "nats", depth);
  Replica a(federation, kCounty, dir / "a.db", tick_period);
  Replica b(federation, kCity, dir / "b.db", tick_period);
  a.link(chain.back()->url(), 256);
  b.link(chain.front()->url(), 256);
  must(b.transport().serve(sync::Channel::rpc,
                           [](sync::Transport::Bytes request, sync::Transport::Respond respond) {
                             respond(std::move(request));
                           }),
       "serve the echo");
  std::atomic<std::uint64_t> target{UINT64_MAX};  // B's applied count once the ticket is in
  Moment taken_up;                                // the start of B's round that applied the ticket
  Moment persisted;
  b.start([&] {
    if (b.replicator().counters().applied < target) return;
    taken_up.mark(b.thread().round_started());
    persisted.mark();
  });
  a.start([] {});

  // Interest crosses each leaf connection once it is up: until then A hears "no responders".
  const auto ready = deadline_in(kStepBound);
  while (!round_trip(a.transport(), 1s)) {
    if (Clock::now() > ready) fail("leaf chain", "B is not reachable from A's server");
    std::this_thread::sleep_for(50ms);
  }
  for (std::size_t i = 0; i < kRoundTrips; ++i) {
    const auto ms = round_trip(a.transport(), 5s);
    if (!ms) fail("round trip", "no answer");
    run.round_trip_ms.push_back(*ms);
  }

  sync::EventWriter writer = county_writer(federation, a.store());  // used on A's thread only
  const crypto::Bytes sealed = sealed_consumer(federation);
  for (std::size_t n = 0; n < kWarmUpTickets + kLatencyTickets; ++n) {
    const sync::NewTicket draft = county_ticket(n, sealed);
    const std::uint64_t acked = a.replicator().counters().batches_acked;
    taken_up.reset();
    persisted.reset();
    target = b.replicator().counters().applied + 3;
    auto committed = std::make_shared<std::promise<Result<Sent>>>();
    auto outcome = committed->get_future();
    a.thread().post([&a, &writer, draft, committed] {
      Sent sent;
      sent.start = Clock::now();
      auto written = writer.intake_batch(std::span(&draft, 1), wall_ms());
      if (!written) return committed->set_value(written.error());
      if (!written->front()) return committed->set_value(written->front().error());
      sent.committed = Clock::now();
      a.replicator().tick();
      sent.sent = a.transport().last_request();
      committed->set_value(sent);
    });
    if (outcome.wait_for(kStepBound) != std::future_status::ready) {
      a.stop();  // before `writer` goes, which the posted function uses
      fail("ticket " + std::to_string(n), "A did not commit within the bound");
    }
    const Sent sent = must(outcome.get(), "intake");
    if (sent.sent < sent.committed) fail("ticket " + std::to_string(n), "the tick did not send it");
    const Clock::time_point end = persisted.wait("ticket " + std::to_string(n) + " at B");
    const Clock::time_point began = taken_up.wait("ticket " + std::to_string(n) + " at B");
    if (n >= kWarmUpTickets) {
      run.total.push_back(ms_between(sent.start, end));
      run.commit.push_back(ms_between(sent.start, sent.committed));
      run.send.push_back(ms_between(sent.committed, sent.sent));
      run.transit.push_back(ms_between(sent.sent, began));
      run.apply.push_back(ms_between(began, end));
    }
    // The ack is back before the next ticket, so that each goes out at once in a batch of its own.
    const auto settled = deadline_in(kStepBound);
    while (a.replicator().counters().batches_acked <= acked || !a.drained_to(kCity)) {
      if (Clock::now() > settled) fail("ticket " + std::to_string(n), "no ack within the bound");
      std::this_thread::sleep_for(200us);
    }
  }
  a.stop();
  b.stop();
  if (b.replicator().counters().applied != 3 * (kWarmUpTickets + kLatencyTickets) ||
      outbox_rows(a.store()) != 0) {
    fail("check", "B did not apply every event of the latency tickets exactly once");
  }
  for (auto* times :
       {&run.total, &run.commit, &run.send, &run.transit, &run.apply, &run.round_trip_ms}) {
    std::sort(times->begin(), times->end());
  }
  return run;
}

// --- Report ----------------------------------------------------------------------------------

void row(const std::string& what, double value, int decimals) {
  std::printf("  %-56s %12.*f\n", what.c_str(), decimals, value);
}

void print(const CatchUp& run) {
  const double rate = static_cast<double>(run.events) / run.seconds;
  std::printf(
      "catch-up, max_batch_events %zu, a tick after each round and every %lld ms: %zu events (%zu "
      "tickets, %.0f-byte bodies on average)\n",
      run.max_batch, static_cast<long long>(run.tick_period.count()), run.events, run.tickets,
      run.body_bytes);
  row("authored during the partition, events/s",
      static_cast<double>(run.events) / run.author_seconds, 0);
  row("caught up in seconds", run.seconds, 2);
  row("events/s delivered, verified and committed at B", rate, 0);
  row("Ed25519 verifications/s, one core (best round)", run.verify_rate, 0);
  std::printf("  ratio events/s to verify rate = %.2f (aim >= 0.50)\n", rate / run.verify_rate);
  row("batches sent", static_cast<double>(run.sent.batches_sent), 0);
  row("batches acked", static_cast<double>(run.sent.batches_acked), 0);
  row("batches failed (timeout, unreachable, bad ack)",
      static_cast<double>(run.sent.batches_failed), 0);
  row("events sent", static_cast<double>(run.sent.events_sent), 0);
  row("events per batch",
      static_cast<double>(run.sent.events_sent) /
          static_cast<double>(std::max<std::uint64_t>(run.sent.batches_sent, 1)),
      1);
  row("envelope bytes sent (MB)", static_cast<double>(run.bytes_sent) / 1e6, 2);
  row("envelope bytes per event",
      static_cast<double>(run.bytes_sent) / static_cast<double>(run.events), 0);
  row("ack bytes received (MB)", static_cast<double>(run.bytes_received) / 1e6, 2);
  row("receiver: batches received", static_cast<double>(run.received.batches_received), 0);
  row("receiver: applied", static_cast<double>(run.received.applied), 0);
  row("receiver: duplicates", static_cast<double>(run.received.duplicates), 0);
  row("receiver: gaps", static_cast<double>(run.received.gaps), 0);
  row("receiver: rejected", static_cast<double>(run.received.rejected), 0);
  row("CPU s: A's thread (read, send, settle, ticks)", run.sender_cpu, 2);
  row("CPU s: B's thread (verify, apply, commit, ack)", run.receiver_cpu, 2);
  row("CPU s: this process (with nats.c threads)", run.process_cpu, 2);
  row("CPU s: nats-server", run.server_cpu, 2);
}

void print(const Latency& run) {
  std::printf(
      "submit-to-persisted latency across %zu nats-server%s (leaf chain), %zu tickets after %zu "
      "to warm up, one at a time\n",
      run.depth, run.depth == 1 ? "" : "s", run.total.size(), kWarmUpTickets);
  std::printf("  %-56s %8s %8s %8s %8s\n", "milliseconds", "p50", "p90", "p99", "max");
  const auto line = [](const char* what, const std::vector<double>& sorted) {
    std::printf("  %-56s %8.2f %8.2f %8.2f %8.2f\n", what, percentile(sorted, 0.50),
                percentile(sorted, 0.90), percentile(sorted, 0.99),
                sorted.empty() ? 0 : sorted.back());
  };
  line("submit to persisted at B", run.total);
  line("  A: intake_batch (sign, commit with fsync)", run.commit);
  line("  A: tick (read outbox and events, sign envelope)", run.send);
  line("  NATS: publish, hops, until B's thread takes it up", run.transit);
  line("  B: verify, apply, commit with fsync, sign and send ack", run.apply);
  line("NATS request round trip A -> B -> A (64 bytes)", run.round_trip_ms);
  line("fdatasync of a 4 KiB append", run.fdatasync_ms);
}

struct Arguments {
  std::size_t events = 100'000;
  std::size_t depth = 4;
  std::vector<std::size_t> batches{256, 1024};
  std::chrono::milliseconds tick_period{5};
};

std::optional<Arguments> parse(int argc, char** argv) {
  Arguments args;
  bool events_seen = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--leaf-depth" && i + 1 < argc) {
      args.depth = std::strtoul(argv[++i], nullptr, 10);
    } else if (arg == "--tick-ms" && i + 1 < argc) {
      args.tick_period = std::chrono::milliseconds(std::strtoul(argv[++i], nullptr, 10));
    } else if (arg == "--batches" && i + 1 < argc) {
      args.batches.clear();
      std::istringstream list(argv[++i]);
      for (std::string one; std::getline(list, one, ',');) {
        args.batches.push_back(std::strtoul(one.c_str(), nullptr, 10));
      }
    } else if (!events_seen && !arg.empty() && arg[0] != '-') {
      args.events = std::strtoul(arg.c_str(), nullptr, 10);
      events_seen = true;
    } else {
      return std::nullopt;
    }
  }
  const bool batches_ok =
      !args.batches.empty() && std::all_of(args.batches.begin(), args.batches.end(),
                                           [](std::size_t b) { return b > 0 && b <= 100'000; });
  if (args.events == 0 || args.events > 10'000'000 || args.depth == 0 || args.tick_period < 1ms ||
      args.tick_period > 10s || args.depth > kMaxLeafDepth || !batches_ok) {
    return std::nullopt;
  }
  return args;
}

}  // namespace

int main(int argc, char** argv) {
  const auto args = parse(argc, argv);
  if (!args) {
    std::fprintf(stderr,
                 "usage: weiquan_catchup_bench [events] [--leaf-depth N] [--batches N[,N...]] "
                 "[--tick-ms N]\n"
                 "       (defaults 100000, 4, 256,1024 and 5; depth 1 to %zu)\n",
                 kMaxLeafDepth);
    return 2;
  }
  try {
    TempDir tmp;
    const Federation federation;
    for (const std::size_t batch : args->batches) {
      print(catch_up(federation, tmp.path() / ("catchup-" + std::to_string(batch)), args->events,
                     batch, args->tick_period));
      std::fflush(stdout);
    }
    print(latency(federation, tmp.path() / "latency", args->depth, args->tick_period));
    std::printf("checks: every catch-up complete, chains verified at B, outboxes empty\n");
    return 0;
  } catch (const std::exception& failure) {
    std::fprintf(stderr, "%s\n", failure.what());
    return 1;
  }
}

// HTTP submission throughput of a real `weiquan run` node against the machine's own limits,
// measured in the same run:
//   - tickets per second that POST /api/v1/tickets acknowledges (201), from `connections`
//     keep-alive connections on loopback, each a thread sending back to back, with the latency of
//     every request (p50, p90, p99, max) and every non-201 answer counted and shown;
//   - the node's CPU time per submission (/proc), and the load generator's;
//   - the foundation's store rate: tickets per second through sync::EventWriter::intake_batch into
//     an in-process store of the same kind of node, in batches of the node's intake batch size,
//     and in batches of one ticket per connection (the most a closed loop of `connections`
//     clients can queue at once);
//   - Ed25519 signatures per second over bodies of the size of a `submitted` event.
// The foundation is measured before and after the HTTP phase, in alternating rounds, and each
// measure keeps its best round: the machine is shared.
// It then stops the node with SIGTERM, requires exit status 0, and reopens the node's store to
// check that every ticket acknowledged with 201 is there (group commit must not ack before
// durability).
//
// The node chain cn -> 44 -> 4403 -> 440305 is made in-process (init_node, enroll_node); the county
// runs as a child process with WEIQUAN_PASSWORD_COST=minimum; one consumer registers and logs in.
//
// Usage: weiquan_http_bench [submissions] [connections]      (defaults 20000 and 32)
// Exit status: 0 when the node exited cleanly and every acknowledged ticket is durable, 1
// otherwise, 2 for bad arguments.
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <latch>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "child_process.h"
#include "http_client.h"
#include "measure.h"
#include "must.h"
#include "temp_dir.h"
#include "weiquan/crypto/key_file.h"
#include "weiquan/crypto/seal.h"
#include "weiquan/crypto/signing.h"
#include "weiquan/node/commands.h"
#include "weiquan/policies/validation.h"
#include "weiquan/sync/event_writer.h"

namespace {

using namespace std::chrono_literals;
using namespace wq;
using Clock = std::chrono::steady_clock;
using json = nlohmann::json;
using testing::ChildProcess;
using testing::deadline_in;
using testing::fail;
using testing::Failure;
using testing::HttpClient;
using testing::must;
using testing::percentile;
using testing::process_cpu_seconds;
using testing::seconds_since;
using testing::TempDir;
using testing::wall_ms;

constexpr const char* kCounty = "440305";
constexpr std::size_t kIntakeBatch = 512;  // IntakeQueue's max_batch (node/src/intake_queue.h)
constexpr std::size_t kRounds = 4;  // of each foundation measure, before and after the HTTP phase
constexpr std::size_t kRoundTickets = 2 * kIntakeBatch;
constexpr std::size_t kRoundSignatures = 5'000;
constexpr const char* kPassword = "bench-password-2025";

// --- The node chain --------------------------------------------------------------------------

// cn -> 44 -> 4403 -> 440305 under `root`, each enrolled by the one before; returns the county.
node::NodeDir make_chain(const std::filesystem::path& root) {
  const std::int64_t now = wall_ms();
  const std::vector<std::pair<std::string, crypto::Level>> chain{{"cn", crypto::Level::national},
                                                                 {"44", crypto::Level::province},
                                                                 {"4403", crypto::Level::city},
                                                                 {kCounty, crypto::Level::county}};
  for (std::size_t i = 0; i < chain.size(); ++i) {
    node::InitOptions options;
    options.dir = node::NodeDir{root / chain[i].first};
    options.level = chain[i].second;
    options.region = chain[i].first;
    options.now_ms = now;
    must(node::init_node(options), "init " + chain[i].first);
    if (i > 0) {
      must(node::enroll_node(node::NodeDir{root / chain[i - 1].first}, options.dir, now,
                             365LL * 86'400'000),
           "enroll " + chain[i].first);
    }
  }
  return node::NodeDir{root / kCounty};
}

// --- What is filed ----------------------------------------------------------------------------

const std::vector<std::string> kShops{"电器商行", "手机专卖店", "健身会所",        "教育培训中心",
                                      "家具城",   "美容美发店", "餐饮管理有限公司"};
const std::vector<std::string> kCategories{
    "家用电器", "通讯器材", "体育健身服务", "教育培训服务", "家具", "美容美发服务", "餐饮服务"};

// The consumer who files every ticket: their personal data as registered and as sealed into
// each ticket.
json consumer() {
  const std::string first17 = std::string(kCounty) + "19900101123";
  const char check = must(policies::id_check_character(first17), "ID check character");
  return {{"name", "张伟"},
          {"id_number", first17 + check},
          {"phone", "13812345678"},
          {"address", "广东省深圳市南山区某某路1号"}};
}

std::int64_t amount_yuan(std::size_t n) {
  return 100 + static_cast<std::int64_t>(n % 5000);
}

// The `n`th complaint: a different business and wording each time, so that no two are twins.
json complaint(std::size_t n) {
  const std::size_t kind = n % kShops.size();
  const std::string number = std::to_string(n);
  const std::string amount = std::to_string(amount_yuan(n));
  return {{"type", "complaint"},
          {"business", {{"name", "深圳市南山区第" + number + "号" + kShops[kind]}}},
          {"region", kCounty},
          {"category", kCategories[kind]},
          {"amount", amount + ".00"},
          {"description", "本人于上月在该店消费（订单号 " + number +
                              "），商品与宣传不符，多次联系商家要求处理，商家以各种理由推脱，"
                              "至今未解决。现提交购物凭证及聊天记录，请求市场监管部门调解。"},
          {"demands", "退还全部货款 " + amount + " 元并赔偿损失"}};
}

// --- The foundation: the store's own intake rate ----------------------------------------------

// Tickets opened through EventWriter::intake_batch in a county store of its own, shaped as the
// node's intake makes them (submitted with sealed personal data, routed to itself, received).
class StoreIntake {
 public:
  explicit StoreIntake(const std::filesystem::path& root) : dir_(make_chain(root)) {
    const auto config = must(node::load_config(dir_), "county config");
    keys_ = std::make_unique<crypto::NodeKeys>(
        must(crypto::read_key_file(dir_.key_path()), "county key"));
    store_ = std::make_unique<sync::Store>(must(node::open_store(dir_, config), "store"));
    writer_.emplace(
        must(sync::EventWriter::create(*store_, keys_->sign, kCounty, wall_ms()), "writer"));
  }

  // Tickets per second over `count` tickets, `batch` per transaction.
  double run(std::size_t count, std::size_t batch) {
    std::vector<sync::NewTicket> tickets;
    tickets.reserve(count);
    for (std::size_t i = 0; i < count; ++i) tickets.push_back(ticket(next_++));
    const auto start = Clock::now();
    for (std::size_t i = 0; i < count; i += batch) {
      const auto part = std::span(tickets).subspan(i, std::min(batch, count - i));
      for (auto& one : must(writer_->intake_batch(part, wall_ms()), "intake batch")) {
        body_bytes_ = must(std::move(one), "intake").submission.event.body_bytes.size();
      }
    }
    return static_cast<double>(count) / seconds_since(start);
  }

  // Size of the last `submitted` event's signed bytes.
  std::size_t body_bytes() const { return body_bytes_; }
  const crypto::SigningKeyPair& key() const { return keys_->sign; }

 private:
  sync::NewTicket ticket(std::size_t n) const {
    const json filed = complaint(n);
    sync::NewTicket ticket;
    ticket.competent_office = kCounty;
    auto& body = ticket.submitted;
    body.mutable_actor()->set_role(weiquan::v1::ROLE_CONSUMER);
    body.mutable_actor()->set_id("c-bench");
    auto& submitted = *body.mutable_submitted();
    submitted.set_type(weiquan::v1::TICKET_TYPE_COMPLAINT);
    submitted.set_channel(weiquan::v1::CHANNEL_WEB);
    submitted.set_received_at_ms(wall_ms());
    submitted.mutable_business()->set_name(filed["business"]["name"].get<std::string>());
    submitted.set_jurisdiction_region(kCounty);
    submitted.set_category(filed["category"].get<std::string>());
    submitted.set_amount_fen(amount_yuan(n) * 100);
    submitted.set_description(filed["description"].get<std::string>());
    submitted.set_demands(filed["demands"].get<std::string>());
    const std::string person = consumer().dump();
    const auto box = must(crypto::seal(keys_->box.public_key, crypto::as_bytes(person)), "seal");
    auto& sealed = *submitted.add_personal();
    sealed.set_node_id(kCounty);
    sealed.set_box(box.data(), box.size());

    weiquan::v1::EventBody routed;
    routed.mutable_actor()->set_role(weiquan::v1::ROLE_SYSTEM);
    routed.mutable_routed()->set_to_node(kCounty);
    routed.mutable_routed()->set_region(kCounty);
    routed.mutable_routed()->set_reason(std::string("this office has jurisdiction over ") +
                                        kCounty);
    weiquan::v1::EventBody received;
    received.mutable_actor()->set_role(weiquan::v1::ROLE_SYSTEM);
    received.mutable_received();
    ticket.then = {std::move(routed), std::move(received)};
    return ticket;
  }

  node::NodeDir dir_;
  std::unique_ptr<crypto::NodeKeys> keys_;
  std::unique_ptr<sync::Store> store_;
  std::optional<sync::EventWriter> writer_;
  std::size_t next_ = 0;
  std::size_t body_bytes_ = 0;
};

// Ed25519 signatures per second over bodies of `body_bytes`.
double sign_rate(const crypto::SigningKeyPair& key, std::size_t body_bytes) {
  crypto::Bytes body(std::max<std::size_t>(body_bytes, 1), 0x5a);
  const auto start = Clock::now();
  for (std::size_t i = 0; i < kRoundSignatures; ++i) {
    body[i % body.size()] ^= 1;
    crypto::sign(key, crypto::Domain::event, body);
  }
  return kRoundSignatures / seconds_since(start);
}

// The foundation's rates, each the best round of all its measurements. The measures alternate
// within a measurement, so that load from other processes skews none of them against the others.
struct Foundation {
  double store = 0;         // tickets/s, kIntakeBatch per transaction
  double store_closed = 0;  // tickets/s, as many per transaction as there are connections
  double sign = 0;          // signatures/s

  void measure(StoreIntake& intake, std::size_t connections) {
    for (std::size_t round = 0; round < kRounds; ++round) {
      store = std::max(store, intake.run(kRoundTickets, kIntakeBatch));
      store_closed = std::max(store_closed, intake.run(kRoundTickets, connections));
      sign = std::max(sign, sign_rate(intake.key(), intake.body_bytes()));
    }
  }
};

// --- The node ---------------------------------------------------------------------------------

// `weiquan run` for the county on 127.0.0.1 with a free port.
class RunningNode {
 public:
  RunningNode(const node::NodeDir& dir, const std::filesystem::path& stderr_file)
      : process_(WEIQUAN_BINARY, {"run", "--dir", dir.root.string(), "--http", "127.0.0.1:0"},
                 stderr_file) {
    const auto line = process_.read_line(deadline_in(30s));
    std::smatch match;
    if (!line ||
        !std::regex_match(*line, match, std::regex(R"(listening on http://127\.0\.0\.1:(\d+))"))) {
      fail("weiquan run", "no listening line; stderr:\n" + process_.stderr_text());
    }
    port_ = static_cast<unsigned>(std::stoul(match[1]));
  }

  unsigned port() const { return port_; }
  pid_t pid() const { return process_.pid(); }

  // SIGTERM by pid; the exit status, or nullopt when the node did not exit within 30 s.
  std::optional<int> terminate() {
    process_.send_signal(SIGTERM);
    return process_.wait(deadline_in(30s));
  }

  std::string stderr_text() const { return process_.stderr_text(); }

 private:
  ChildProcess process_;
  unsigned port_ = 0;
};

double own_cpu_seconds() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

json post(unsigned port, const std::string& target, const json& body, const std::string& what) {
  const auto reply = HttpClient::fetch(port, "POST", target, deadline_in(30s), body.dump());
  if (!reply) fail(what, "no reply");
  if (reply->status / 100 != 2) fail(what, std::to_string(reply->status) + " " + reply->body);
  return json::parse(reply->body);
}

// Registers the bench's consumer and logs in; returns the session token.
std::string consumer_token(unsigned port) {
  json registration = consumer();
  registration["password"] = kPassword;
  post(port, "/api/v1/consumers", registration, "register");
  return post(port, "/api/v1/login", {{"login", registration["phone"]}, {"password", kPassword}},
              "login")
      .at("token")
      .get<std::string>();
}

// --- The load generator -----------------------------------------------------------------------

struct Load {
  double seconds = 0;
  std::vector<double> latency_ms;      // every request, answered or not
  std::vector<std::string> accepted;   // bodies of the 201 answers
  std::map<int, std::size_t> refused;  // status (0: no answer) -> how many
  std::map<int, std::string> example;  // status -> one body

  void merge(Load&& other) {
    latency_ms.insert(latency_ms.end(), other.latency_ms.begin(), other.latency_ms.end());
    std::move(other.accepted.begin(), other.accepted.end(), std::back_inserter(accepted));
    for (const auto& [status, count] : other.refused) refused[status] += count;
    example.merge(other.example);
  }
};

// `total` submissions (numbered from `first`) over `connections` keep-alive connections, each a
// thread sending one request at a time; the clock starts once every connection is open.
Load generate(unsigned port, const std::string& token, std::size_t first, std::size_t total,
              std::size_t connections) {
  const std::string auth = "Authorization: Bearer " + token + "\r\n";
  std::atomic<std::size_t> next = 0;
  std::latch connected(static_cast<std::ptrdiff_t>(connections) + 1);
  std::latch go(1);
  std::vector<Load> parts(connections);
  std::vector<std::thread> threads;
  for (std::size_t c = 0; c < connections; ++c) {
    threads.emplace_back([&, c] {
      Load& part = parts[c];
      auto client = std::make_unique<HttpClient>(port);
      connected.count_down();
      go.wait();
      for (std::size_t i = next++; i < total; i = next++) {
        const std::string body = complaint(first + i).dump();
        const auto start = Clock::now();
        const bool sent =
            client->connected() && client->send("POST", "/api/v1/tickets", body, auth);
        const auto reply = sent ? client->read_reply(deadline_in(60s)) : std::nullopt;
        part.latency_ms.push_back(seconds_since(start) * 1000);
        const int status = reply ? reply->status : 0;
        if (status == 201) {
          part.accepted.push_back(reply->body);
        } else {
          ++part.refused[status];
          part.example.emplace(
              status, reply ? reply->body : "no answer (connection failed or 60 s passed)");
        }
        if (!reply || reply->header("connection") == "close") {
          client = std::make_unique<HttpClient>(port);
        }
      }
    });
  }
  connected.arrive_and_wait();
  const auto start = Clock::now();
  go.count_down();
  for (auto& thread : threads) thread.join();
  Load load;
  load.seconds = seconds_since(start);
  for (auto& part : parts) load.merge(std::move(part));
  return load;
}

void print_refused(const Load& load, const char* phase) {
  for (const auto& [status, count] : load.refused) {
    std::printf("  %s: %zu answered %s: %s\n", phase, count,
                status == 0 ? "nothing" : std::to_string(status).c_str(),
                load.example.at(status).substr(0, 200).c_str());
  }
}

// Ticket ids of the 201 answers.
std::vector<std::string> accepted_ids(const Load& load) {
  std::vector<std::string> ids;
  ids.reserve(load.accepted.size());
  for (const auto& body : load.accepted)
    ids.push_back(json::parse(body).at("id").get<std::string>());
  return ids;
}

// How many of `ids` the store of `dir` lacks.
std::size_t missing_tickets(const node::NodeDir& dir, const std::vector<std::string>& ids) {
  const auto reader = must(node::open_store_reader(dir), "reopen the node's store");
  std::size_t missing = 0;
  for (const auto& id : ids) {
    if (!must(reader.ticket(id), "read " + id)) {
      if (missing++ < 5) std::printf("  acknowledged but missing: %s\n", id.c_str());
    }
  }
  return missing;
}

// The figures of one run, printed as a table.
void print_report(Load& load, const Load& warm, std::size_t connections, double node_cpu,
                  double own_cpu, const Foundation& foundation) {
  const std::size_t submissions = load.latency_ms.size();
  std::sort(load.latency_ms.begin(), load.latency_ms.end());
  const double rate = static_cast<double>(load.accepted.size()) / load.seconds;
  const double p99 = percentile(load.latency_ms, 0.99);
  const auto row = [](const std::string& what, double value, int decimals) {
    std::printf("%-58s %12.*f\n", what.c_str(), decimals, value);
  };
  std::printf("HTTP submissions: %zu over %zu keep-alive connections (after %zu to warm up)\n",
              submissions, connections, warm.latency_ms.size());
  row("tickets acknowledged (201) per second", rate, 0);
  row("latency p50 (ms)", percentile(load.latency_ms, 0.50), 1);
  row("latency p90 (ms)", percentile(load.latency_ms, 0.90), 1);
  row("latency p99 (ms)", p99, 1);
  row("latency max (ms)", load.latency_ms.back(), 1);
  row("answers other than 201", static_cast<double>(submissions - load.accepted.size()), 0);
  print_refused(warm, "warm-up");
  print_refused(load, "measured");
  row("node CPU ms per submission", node_cpu * 1000 / static_cast<double>(submissions), 2);
  row("load generator CPU ms per submission", own_cpu * 1000 / static_cast<double>(submissions), 2);
  row("store: tickets per second, " + std::to_string(kIntakeBatch) + " per commit",
      foundation.store, 0);
  row("store: tickets per second, " + std::to_string(connections) + " per commit",
      foundation.store_closed, 0);
  row("Ed25519 signatures per second", foundation.sign, 0);
  std::printf("ratio HTTP/store = %.2f; aim (>= 5000/s with p99 < 20 ms): %s\n",
              rate / foundation.store, rate >= 5000 && p99 < 20 ? "met" : "NOT met");
}

// The whole benchmark; returns the exit status.
int run(std::size_t submissions, std::size_t connections) {
  const std::size_t warm_up = std::min<std::size_t>(500, submissions);
  TempDir tmp;
  StoreIntake store_intake(tmp.path() / "foundation");
  Foundation foundation;
  foundation.measure(store_intake, connections);

  const node::NodeDir county = make_chain(tmp.path() / "nodes");
  RunningNode node(county, tmp.path() / "run.err");
  std::printf("node %s: pid %d, http://127.0.0.1:%u\n", kCounty, static_cast<int>(node.pid()),
              node.port());
  std::fflush(stdout);
  const std::string token = consumer_token(node.port());

  const Load warm = generate(node.port(), token, 0, warm_up, connections);
  const double node_cpu_before = process_cpu_seconds(node.pid());
  const double own_cpu_before = own_cpu_seconds();
  Load load = generate(node.port(), token, warm_up, submissions, connections);
  const double node_cpu = process_cpu_seconds(node.pid()) - node_cpu_before;
  const double own_cpu = own_cpu_seconds() - own_cpu_before;

  foundation.measure(store_intake, connections);

  const auto exit_status = node.terminate();
  if (exit_status != 0) {
    std::fprintf(stderr, "node stderr:\n%s\n", node.stderr_text().c_str());
    fail("weiquan run", exit_status ? "exit status " + std::to_string(*exit_status) + " on SIGTERM"
                                    : "still running 30 s after SIGTERM");
  }
  std::vector<std::string> ids = accepted_ids(warm);
  const std::vector<std::string> measured_ids = accepted_ids(load);
  ids.insert(ids.end(), measured_ids.begin(), measured_ids.end());
  const std::size_t missing = missing_tickets(county, ids);

  print_report(load, warm, connections, node_cpu, own_cpu, foundation);
  std::printf(
      "node exit status after SIGTERM: 0; acknowledged tickets missing from its store: "
      "%zu of %zu\n",
      missing, ids.size());
  return missing == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t submissions = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 20'000;
  const std::size_t connections = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 32;
  if (submissions == 0 || submissions > 900'000 || connections == 0 || connections > 200) {
    std::fprintf(stderr, "usage: weiquan_http_bench [submissions] [connections]\n");
    return 2;
  }
  ::setenv("WEIQUAN_PASSWORD_COST", "minimum", 1);
  try {
    return run(submissions, connections);
  } catch (const Failure& failure) {
    std::fprintf(stderr, "%s\n", failure.what());
    return 1;
  }
}

#include "federation_fixture.h"

#include <catch2/catch.hpp>
#include <csignal>
#include <thread>

namespace wq::testing {

using namespace std::chrono_literals;

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  const auto deadline = deadline_in(timeout);
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(50ms);  // between polls of another process's state
  }
  return true;
}

std::string staff_token(FederationFixture& federation, const std::string& id,
                        const std::string& role, const std::string& name) {
  const StaffAccount account = add_staff(federation.dir(id), role, name);
  const ApiAnswer login = federation.post(
      id, "/api/v1/login", {{"login", account.login}, {"password", account.password}});
  INFO(login.raw);
  REQUIRE(login.status == 200);
  return login.body.at("token");
}

FederationFixture::FederationFixture(std::vector<NodeSpec> nodes) {
  ::setenv("WEIQUAN_PASSWORD_COST", "minimum", 1);
  for (NodeSpec& spec : nodes) {
    const std::string id = spec.id;
    weiquan_ok({"init", "--dir", dir(id), "--level", spec.level, "--region", id});
    if (!spec.parent.empty())
      weiquan_ok({"enroll", "--parent", dir(spec.parent), "--child", dir(id)});
    Node node;
    node.officer = add_staff(dir(id), "officer", "值班员 " + id);
    NatsServerConfig config;
    config.name = "wq-" + id;
    config.accept_leafs = true;
    if (!spec.parent.empty()) config.leaf_remotes = {nodes_.at(spec.parent).nats->leaf_url()};
    node.nats = std::make_unique<NatsServer>(tmp_.path() / ("nats-" + id), config);
    node.spec = std::move(spec);
    order_.push_back(id);
    nodes_.emplace(id, std::move(node));
  }
  for (const std::string& id : order_) start(id);
}

FederationFixture::~FederationFixture() {
  // Children first, so no node outlives the server it talks to for long.
  for (auto it = order_.rbegin(); it != order_.rend(); ++it) {
    Node& n = node(*it);
    if (n.process) {
      n.process->send_signal(SIGTERM);
      n.process->wait(deadline_in(10s));  // ChildProcess kills it by pid if it has not exited
    }
  }
}

std::string FederationFixture::dir(const std::string& id) const {
  return tmp_.path() / id;
}

void FederationFixture::start(const std::string& id) {
  Node& n = node(id);
  REQUIRE(!n.process);
  n.process =
      start_node({"run", "--dir", dir(id), "--http", "127.0.0.1:0", "--nats", n.nats->url()},
                 tmp_.file("run-" + id + "-" + std::to_string(++n.runs) + ".err"), n.port);
  n.officer_token.clear();
}

int FederationFixture::stop(const std::string& id) {
  Node& n = node(id);
  REQUIRE(n.process);
  n.process->send_signal(SIGTERM);
  const auto status = n.process->wait(deadline_in(15s));
  n.process.reset();
  return status ? *status : -1;
}

std::optional<int> FederationFixture::exited(const std::string& id,
                                             std::chrono::milliseconds timeout) {
  Node& n = node(id);
  REQUIRE(n.process);
  const auto status = n.process->wait(deadline_in(timeout));
  if (status) n.process.reset();
  return status;
}

void FederationFixture::signal(const std::string& id, int signal) const {
  nodes_.at(id).process->send_signal(signal);
}

ApiAnswer FederationFixture::get(const std::string& id, const std::string& target,
                                 const std::string& token) {
  return http_request(node(id).port, "GET", target, token);
}

ApiAnswer FederationFixture::post(const std::string& id, const std::string& target,
                                  const json& body, const std::string& token) {
  return http_request(node(id).port, "POST", target, token, body.dump());
}

const std::string& FederationFixture::officer(const std::string& id) {
  Node& n = node(id);
  if (n.officer_token.empty()) {
    n.officer_token = login_at(n.port, n.officer.login, n.officer.password);
  }
  return n.officer_token;
}

std::string FederationFixture::consumer(const std::string& id, const std::string& name,
                                        int serial) {
  return register_consumer_at(node(id).port, name, serial).token;
}

void FederationFixture::verify_all() const {
  for (const std::string& id : order_) {
    INFO("weiquan verify at " << id);
    weiquan_ok({"verify", "--dir", dir(id)});
  }
}

std::optional<json> FederationFixture::ticket_at(const std::string& id, const std::string& ticket) {
  const ApiAnswer answer = get(id, "/api/v1/tickets/" + ticket, officer(id));
  // Anything but 200 reads as "not there yet", so that a poll outlives a busy node's 503; a lasting
  // failure shows as the poll's timeout.
  if (answer.status != 200) return std::nullopt;
  return answer.body;
}

}  // namespace wq::testing

// FederationFixture: real offices federated over real NATS for end-to-end tests. Node directories
// are made with `weiquan init` and `weiquan enroll` along the administrative tree given, each gets
// an officer (`weiquan user add`), each runs its own nats-server joined to its parent's as a leaf
// node (the deployment's topology, deploy/federation.sh), and each runs as a `weiquan run --nats`
// process that the test can stop, kill and start again by pid.
//
// Ownership: the fixture owns its temporary directory, the servers and the node processes; all go
// away with it. Not thread-safe: one test thread. Failures are Catch2 assertions.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "nats_server.h"
#include "office_fixture.h"

namespace wq::testing {

struct NodeSpec {
  std::string id;      // region code, "cn" for the national node
  std::string level;   // national|province|city|county|station
  std::string parent;  // "" for the national node
};

class FederationFixture {
 public:
  // Makes every node and starts its nats-server and its node process, parents first.
  explicit FederationFixture(std::vector<NodeSpec> nodes);
  ~FederationFixture();
  FederationFixture(const FederationFixture&) = delete;
  FederationFixture& operator=(const FederationFixture&) = delete;

  void start(const std::string& id);
  // SIGTERM and wait; the exit status.
  int stop(const std::string& id);
  // Waits for node `id`'s process to exit by itself: its exit status, after which the node can be
  // started again; nullopt when it still runs at the deadline.
  std::optional<int> exited(const std::string& id, std::chrono::milliseconds timeout);
  void signal(const std::string& id, int signal) const;
  NatsServer& nats(const std::string& id) { return *nodes_.at(id).nats; }
  std::string dir(const std::string& id) const;

  ApiAnswer get(const std::string& id, const std::string& target, const std::string& token = "");
  ApiAnswer post(const std::string& id, const std::string& target, const json& body,
                 const std::string& token = "");
  // The officer's session token at node `id` (logged in once).
  const std::string& officer(const std::string& id);
  // Registers and logs in a consumer at node `id`; the token.
  std::string consumer(const std::string& id, const std::string& name, int serial);
  // `weiquan verify` of every node's store (signatures, certificate chains, hash links) must pass,
  // the nodes running.
  void verify_all() const;
  // GET /api/v1/tickets/{ticket} at `id` as its officer; nullopt while the node does not have it
  // (or does not answer 200).
  std::optional<json> ticket_at(const std::string& id, const std::string& ticket);

 private:
  struct Node {
    NodeSpec spec;
    std::unique_ptr<NatsServer> nats;
    std::unique_ptr<ChildProcess> process;
    unsigned port = 0;
    StaffAccount officer;
    std::string officer_token;
    int runs = 0;
  };
  Node& node(const std::string& id) { return nodes_.at(id); }

  TempDir tmp_;
  std::vector<std::string> order_;  // parents first
  std::map<std::string, Node> nodes_;
};

// Polls `condition` until it holds or `timeout` passes; whether it held.
bool eventually(const std::function<bool()>& condition,
                std::chrono::milliseconds timeout = std::chrono::seconds(30));

// A staff account of `role` added to the running node `id`, logged in; its token.
std::string staff_token(FederationFixture& federation, const std::string& id,
                        const std::string& role, const std::string& name);

}  // namespace wq::testing

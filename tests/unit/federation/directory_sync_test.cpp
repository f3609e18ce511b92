#include "weiquan/federation/directory_sync.h"

#include <catch2/catch.hpp>
#include <memory>

#include "federation_tree.h"
#include "temp_dir.h"
#include "weiquan/federation/directory.h"
#include "weiquan/sync/memory_transport.h"
#include "weiquan/sync/rpc_server.h"

namespace wq::federation {
namespace {

using namespace test;

constexpr auto kForever = std::int64_t{1} << 50;

// One node of the test: its own store knowing its own chain, its transport, its DirectorySync.
struct Office {
  std::string id;
  sync::Store store;
  std::unique_ptr<sync::Transport> transport;
  std::unique_ptr<DirectorySync> directory;
  std::unique_ptr<sync::RpcServer> rpc;
  int changes = 0;

  Office(sync::MemoryNetwork& network, const wq::testing::TempDir& dir, std::string node,
         const std::vector<std::string>& chain)
      : id(std::move(node)), store(open(dir, id)), transport(network.attach(id)) {
    for (const std::string& member : chain) REQUIRE(store.add_certificate(certificate(member)));
    DirectorySyncOptions options;
    options.self = id;
    options.now_ms = [&network] { return network.now_ms(); };
    directory = std::make_unique<DirectorySync>(
        *transport, std::move(options),
        [this](std::function<void(sync::Store&)> work) { work(store); },  // one thread here
        [this](const crypto::TrustStore&) { ++changes; });
    rpc = std::make_unique<sync::RpcServer>(*transport);
    rpc->route(weiquan::v1::RpcRequest::kDirectory,
               [this](weiquan::v1::RpcRequest request, sync::Transport::Respond respond) {
                 directory->handle(std::move(request), std::move(respond));
               });
    REQUIRE(rpc->start());
  }

  static sync::Store open(const wq::testing::TempDir& dir, const std::string& id) {
    sync::StoreOptions options;
    options.path = dir.file(id + ".db");
    options.anchor_key = tree().keys.at("cn").sign.public_key;
    return sync::Store::open(std::move(options)).value();
  }

  static crypto::SignedCertificate certificate(const std::string& node) {
    return *tree().trust.verify_chain(node, kNow).value();
  }

  std::size_t known() const { return store.trust().certificates().size(); }
};

TEST_CASE("directory sync: offices announce themselves and learn every other office") {
  sync::MemoryNetwork network(7, kNow);
  wq::testing::TempDir dir;
  Office national(network, dir, "cn", {"cn"});
  Office beijing(network, dir, "110101", {"cn", "11", "1101", "110101"});
  Office shenzhen(network, dir, "440305", {"cn", "44", "4403", "440305"});

  beijing.directory->refresh();
  REQUIRE(network.run_until_idle(kForever));
  CHECK(national.known() == 4);  // the Beijing county's chain
  shenzhen.directory->refresh();
  REQUIRE(network.run_until_idle(kForever));
  CHECK(national.known() == 7);
  CHECK(shenzhen.known() == 7);  // Beijing's chain, fetched from the national node
  beijing.directory->refresh();
  REQUIRE(network.run_until_idle(kForever));
  CHECK(beijing.known() == 7);
  CHECK(beijing.directory->status().last_complete_ms > 0);
  CHECK(beijing.directory->status().last_error.empty());
  CHECK(beijing.changes > 0);

  // Each can now route to the other's county directly.
  CHECK(Directory(beijing.store.trust()).jurisdiction_for("440305", kNow).value() == "440305");
  CHECK(Directory(shenzhen.store.trust()).jurisdiction_for("110101", kNow).value() == "110101");

  // A refresh with nothing new adds nothing.
  const auto before = beijing.directory->status().certificates_added;
  beijing.directory->refresh();
  REQUIRE(network.run_until_idle(kForever));
  CHECK(beijing.directory->status().certificates_added == before);
}

TEST_CASE("directory sync: a revocation spreads, and a lost source is reported and retried") {
  sync::MemoryNetwork network(11, kNow);
  wq::testing::TempDir dir;
  Office national(network, dir, "cn", {"cn", "44", "4403", "440305"});
  Office county(network, dir, "110101", {"cn", "11", "1101", "110101"});

  network.isolate("cn");
  county.directory->refresh();
  REQUIRE(network.run_until_idle(kForever));
  CHECK(county.directory->status().last_error == "sync.timeout");
  CHECK(county.known() == 4);

  network.rejoin("cn");
  crypto::Revocation revocation;
  revocation.issuer = "4403";
  revocation.node_id = "440305";
  revocation.serial = 1;
  revocation.revoked_at_ms = kNow - 1000;
  revocation.reason = "decommissioned";
  REQUIRE(national.store.add_revocation(
      sync::issue_revocation(revocation, tree().keys.at("4403").sign).value()));
  county.directory->refresh();
  REQUIRE(network.run_until_idle(kForever));
  CHECK(county.directory->status().last_error.empty());
  CHECK(county.directory->status().revocations_added == 1);
  CHECK_FALSE(county.store.trust().verify_chain("440305", kNow).ok());
}

TEST_CASE("directory sync: a malformed request is dropped unanswered") {
  sync::MemoryNetwork network(3, kNow);
  wq::testing::TempDir dir;
  Office national(network, dir, "cn", {"cn"});
  auto stranger = network.attach("110101");
  std::optional<Result<sync::Transport::Bytes>> answer;
  stranger->request("cn", sync::Channel::rpc, {1, 2, 3, 4}, std::chrono::milliseconds(500),
                    [&](Result<sync::Transport::Bytes> reply) { answer = std::move(reply); });
  REQUIRE(network.run_until_idle(kForever));
  REQUIRE(answer.has_value());
  CHECK(answer->error().code == "sync.timeout");
  CHECK(national.rpc->dropped() == 1);
}

}  // namespace
}  // namespace wq::federation

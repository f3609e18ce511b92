#include "replication_fixture.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <utility>

#include "sync_fixture.h"

namespace wq::sync::test {

using namespace std::chrono_literals;

ReplicatorOptions replicator_options(MemoryNetwork& network, const std::string& node_id) {
  ReplicatorOptions options;
  options.self = node_id;
  options.key = &federation().node(node_id).keys.sign;
  options.request_timeout = 200ms;
  options.min_backoff = 20ms;
  options.max_backoff = 1000ms;
  options.jitter_seed = 1;
  options.now_ms = [&network] { return network.now_ms(); };
  return options;
}

EventWriter interested_writer(Store& store, const std::string& node_id,
                              std::vector<std::string> interested) {
  auto writer =
      EventWriter::create(store, federation().node(node_id).keys.sign, node_id, kT0).value();
  writer.set_interest([interested = std::move(interested)](const Ticket&, const SignedEvent&) {
    return interested;
  });
  return writer;
}

void require_same_chains(const Store& from, const Store& to,
                         const std::vector<std::string>& tickets) {
  for (const std::string& ticket : tickets) {
    const auto mine = from.reader().events(ticket).value();
    const auto theirs = to.reader().events(ticket).value();
    REQUIRE(theirs.size() == mine.size());
    for (std::size_t i = 0; i < mine.size(); ++i) CHECK(theirs[i].id == mine[i].id);
  }
  CHECK(to.reader().quarantine().value().empty());
}

}  // namespace wq::sync::test

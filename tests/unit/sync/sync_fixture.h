// Test fixture for sync/: a small federation (cn > 44 > 4403 > 440305 > 440305001, and a second
// county 440306) with keys and certificates, temporary directories, and event drafts.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "event_drafts.h"
#include "node_certificates.h"
#include "temp_dir.h"
#include "weiquan/crypto/certificate.h"
#include "weiquan/crypto/keys.h"
#include "weiquan/sync/certificate_codec.h"
#include "weiquan/sync/event_writer.h"
#include "weiquan/sync/store.h"
#include "weiquan/v1/weiquan.pb.h"

namespace wq::sync::test {

// 2025-03-03 09:00 China Standard Time, a Monday under SAMR Order No. 20.
inline constexpr std::int64_t kT0 = 1'740'963'600'000;
inline constexpr std::int64_t kMinute = 60'000;
inline constexpr std::int64_t kDay = 24 * 60 * kMinute;
inline constexpr std::int64_t kValidFrom = wq::testing::kCertificateFrom;    // of every certificate
inline constexpr std::int64_t kValidUntil = wq::testing::kCertificateUntil;  // of every certificate

using TempDir = wq::testing::TempDir;

struct TestNode {
  std::string id;
  crypto::NodeKeys keys;
  crypto::SignedCertificate cert;
};

class Federation {
 public:
  Federation();

  const TestNode& node(const std::string& id) const;
  const crypto::PublicKey& anchor() const { return node("cn").keys.sign.public_key; }
  // Every certificate, issuers first.
  std::vector<crypto::SignedCertificate> certificates() const;

  // A store at `path` that knows every certificate of the federation.
  Store open_store(const std::filesystem::path& path) const;

 private:
  void add(const std::string& id, crypto::Level level, const std::string& issuer);

  std::vector<std::string> order_;
  std::map<std::string, std::unique_ptr<TestNode>> nodes_;
};

// The process-wide federation (key generation is the slow part of setting one up).
const Federation& federation();

// One store watched from the province, with a writer for each node that holds a ticket in turn
// (in a deployment each node writes to its own store; the events are the same).
struct Scenario {
  TempDir dir;
  Store store = federation().open_store(dir.file("node.db"));
  EventWriter province = writer("44");
  EventWriter county = writer("440305");
  EventWriter station = writer("440305001");
  EventWriter other_county = writer("440306");
  std::string ticket;

  EventWriter writer(const std::string& id);
  // Filed at the province, routed to the county, received there.
  void file_and_route();
  Ticket projection();
  std::size_t event_count();
};

// Drafts: an EventBody with an actor and one kind set, as EventWriter takes them (the shared ones
// of tests/support/sync/event_drafts.h, and those only the sync tests write).
using wq::testing::accepted;
using wq::testing::closed;
using wq::testing::draft;
using wq::testing::received;
using wq::testing::transferred;
// Filed with the county 440305, which has jurisdiction.
weiquan::v1::EventBody complaint(std::int64_t received_at_ms = kT0);
weiquan::v1::EventBody routed(const std::string& to_node);
weiquan::v1::EventBody refused();
weiquan::v1::EventBody assigned(weiquan::v1::AssigneeKind kind, const std::string& assignee);
weiquan::v1::EventBody assigned_station(const std::string& station);
weiquan::v1::EventBody message(const std::string& text);
weiquan::v1::EventBody mediation_result(bool agreement);
weiquan::v1::EventBody visited();

// A complete event body authored by `author` (fields a writer would fill), for codec tests.
weiquan::v1::EventBody first_event(const std::string& author, const std::string& ticket_id);

}  // namespace wq::sync::test

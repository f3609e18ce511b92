// The office's own records beside the event log: evidence files (content-addressed, typed) and
// the duplicate index; and who may see a ticket.
#include <catch2/catch.hpp>
#include <filesystem>

#include "evidence_store.h"
#include "temp_dir.h"
#include "ticket_access.h"
#include "weiquan/node/duplicate_index.h"
#include "weiquan/node/office_db.h"

using namespace wq;
using namespace wq::node;

namespace {

const std::string kPng = std::string("\x89PNG\r\n\x1A\n", 8) + "rest of a picture";
const std::string kPdf = "%PDF-1.7\n...";

constexpr std::int64_t kDay = 24LL * 60 * 60 * 1000;
constexpr std::int64_t kT0 = 1'763'600'000'000;

DuplicateKey key(std::string consumer, std::int64_t at_ms) {
  return DuplicateKey{std::move(consumer), "914403001922038216", "家用电器",
                      policies::TicketType::complaint, at_ms};
}

}  // namespace

TEST_CASE("evidence is stored once by content and read back", "[evidence]") {
  testing::TempDir dir;
  EvidenceStore store(dir.path() / "evidence", 1024);
  auto first = store.put("image/png", kPng);
  REQUIRE(first.ok());
  CHECK(first->media_type == "image/png");
  CHECK(first->size == kPng.size());
  CHECK(first->hash == crypto::blake2b_256(crypto::as_bytes(kPng)));
  auto again = store.put("image/png; charset=binary", kPng);
  REQUIRE(again.ok());
  CHECK(again->hash == first->hash);
  CHECK(store.get(first->hash).value() == kPng);
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir.path() / "evidence")) {
    files += entry.is_regular_file() ? 1 : 0;
  }
  CHECK(files == 1);
  CHECK(store.put("application/pdf", kPdf).ok());
  CHECK(store.get(crypto::blake2b_256(crypto::as_bytes("nothing"))).error().code ==
        "node.unknown_evidence");
}

TEST_CASE("evidence of the wrong type, empty or too large is refused", "[evidence]") {
  testing::TempDir dir;
  EvidenceStore store(dir.path() / "evidence", 64);
  CHECK(store.put("text/plain", "hello").error().code == "node.unsupported_media_type");
  CHECK(store.put("image/png", kPdf).error().code == "node.unsupported_media_type");
  CHECK(store.put("image/jpeg", kPng).error().code == "node.unsupported_media_type");
  CHECK(store.put("image/png", "").error().code == "node.bad_field");
  CHECK(store.put("image/png", kPng + std::string(100, 'x')).error().code ==
        "node.payload_too_large");
  CHECK(store.put("audio/mpeg", "ID3\x04rest").ok());
  CHECK(store.put("audio/mpeg", std::string("\xFF\xFB\x90", 3)).ok());
  CHECK(store
            .put("video/mp4", std::string("\0\0\0\x18"
                                          "ftypmp42",
                                          12))
            .ok());
}

TEST_CASE("the duplicate index finds the same consumer, business and matter", "[duplicates]") {
  testing::TempDir dir;
  auto db = OfficeDb::open(dir.path() / "office.db");
  REQUIRE(db.ok());
  DuplicateIndex index(*db);
  const std::vector<DuplicateIndex::Filing> first = {
      {"t1", key("alice", kT0)},
      {"t2", key("bob", kT0)},
      {"t3", key("", kT0)},  // anonymous: never indexed
  };
  auto twins = index.record(first);
  REQUIRE(twins.ok());
  CHECK(twins->size() == 3);
  CHECK((*twins)[0].empty());

  DuplicateKey other_matter = key("alice", kT0 + kDay);
  other_matter.matter = "餐饮服务";
  const std::vector<DuplicateIndex::Filing> second = {
      {"t4", key("alice", kT0 + 2 * kDay)},   // twin of t1
      {"t5", key("alice", kT0 + 3 * kDay)},   // twin of t1 and t4, in the same batch
      {"t6", key("alice", kT0 + 31 * kDay)},  // outside the window of t1 only
      {"t7", other_matter},
      {"t8", key("", kT0)},
  };
  twins = index.record(second);
  REQUIRE(twins.ok());
  CHECK((*twins)[0] == std::vector<std::string>{"t1"});
  CHECK((*twins)[1] == std::vector<std::string>{"t1", "t4"});
  CHECK((*twins)[2] == std::vector<std::string>{"t4", "t5"});
  CHECK((*twins)[3].empty());
  CHECK((*twins)[4].empty());
  CHECK(index.twins_of("t1").value() == std::vector<std::string>{"t4", "t5"});
  CHECK(index.twins_of("t3").value().empty());
  CHECK(index.twins_of("unknown").value().empty());
  CHECK(db->lock().db().pragma_int("synchronous").value() == 2);  // FULL again for accounts
}

TEST_CASE("who may see a ticket", "[access]") {
  NodeConfig config;
  config.node_id = "440305";
  sync::Ticket ticket;
  ticket.id = "440305-20261122-000001";
  ticket.holder = "440305";
  ticket.intake_node = "440305";
  ticket.submitter = "c-1";
  const Principal officer{"s-1", policies::Role::officer, "王芳", ""};
  const Principal admin{"s-2", policies::Role::admin, "管理员", ""};
  const Principal filer{"c-1", policies::Role::consumer, "", ""};
  const Principal stranger{"c-2", policies::Role::consumer, "", ""};
  const Principal business{"s-3", policies::Role::enterprise, "客服", "914403001922038216"};
  const Principal association{"s-4", policies::Role::association, "消协", ""};

  using http::Access;
  CHECK(http::access_to(officer, ticket, config) == Access::staff);
  CHECK(http::access_to(admin, ticket, config) == Access::none);
  CHECK(http::access_to(filer, ticket, config) == Access::filer);
  CHECK(http::access_to(stranger, ticket, config) == Access::none);
  CHECK(http::access_to(business, ticket, config) == Access::none);

  ticket.assignee_kind = "enterprise";
  ticket.assignee = "914403001922038216";
  CHECK(http::access_to(business, ticket, config) == Access::enterprise);
  CHECK(http::personal_view(Access::enterprise, ticket) == http::PersonalView::contact);
  ticket.type = policies::TicketType::report;  // a report never reaches the business
  CHECK(http::access_to(business, ticket, config) == Access::none);
  CHECK(http::personal_view(Access::enterprise, ticket) == http::PersonalView::none);
  ticket.type = policies::TicketType::complaint;

  ticket.assignee_kind = "association";
  ticket.assignee = "s-4";
  CHECK(http::access_to(business, ticket, config) == Access::none);
  CHECK(http::access_to(association, ticket, config) == Access::association);

  ticket.holder = "440305001";  // handed to a station, taken in elsewhere: watched over from here
  ticket.intake_node = "440306";
  CHECK(http::access_to(officer, ticket, config) == Access::monitor);
  CHECK(http::personal_view(Access::monitor, ticket) == http::PersonalView::none);
  CHECK(http::personal_view(Access::staff, ticket) == http::PersonalView::full);
}

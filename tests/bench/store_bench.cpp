// Event store throughput against the machine's own limits, measured in the same run:
//   (a) Ed25519 signatures per second over bodies of the size the store signs;
//   (b) rows per second that SQLite commits into a table shaped like the event log, with the same
//       pragmas (WAL, synchronous=FULL) and the same batch size;
//   (c) events per second that EventWriter authors, signs, chains, checks against the lifecycle,
//       projects and commits, in batches of the same size.
// Prints a table and the ratio of (c) to the lower of (a) and (b).
//
// Usage: weiquan_store_bench [events] [batch]      (defaults 20000 and 500)
#include <sqlite3.h>
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "weiquan/crypto/hash.h"
#include "weiquan/crypto/signing.h"
#include "weiquan/sync/certificate_codec.h"
#include "weiquan/sync/event_writer.h"
#include "weiquan/sync/store.h"

namespace {

using Clock = std::chrono::steady_clock;
using namespace wq;

constexpr std::int64_t kT0 = 1'740'963'600'000;  // 2025-03-03 09:00 CST
constexpr std::int64_t kValidFrom = 1'577'836'800'000;
constexpr std::int64_t kValidUntil = 2'208'988'800'000;
constexpr std::size_t kTickets = 1000;

[[noreturn]] void fail(const std::string& what, const Error& error) {
  std::fprintf(stderr, "%s: %s: %s\n", what.c_str(), error.code.c_str(), error.message.c_str());
  std::exit(1);
}

template <class T>
T must(Result<T> result, const std::string& what) {
  if (!result) fail(what, result.error());
  return std::move(result).value();
}

void must(const Status& status, const std::string& what) {
  if (!status) fail(what, status.error());
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "weiquan-bench-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) std::exit(1);
    path = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
};

weiquan::v1::EventBody message_draft(std::size_t i) {
  weiquan::v1::EventBody body;
  body.mutable_actor()->set_role(weiquan::v1::ROLE_OFFICER);
  body.mutable_actor()->set_id("officer-" + std::to_string(i % 17));
  body.mutable_actor()->set_name("王警官");
  body.mutable_message()->set_from(weiquan::v1::PARTY_OFFICE);
  body.mutable_message()->set_text(
      "您好，我们已联系商家，商家同意在三个工作日内上门检修并更换压缩机。请保持电话畅通。");
  return body;
}

weiquan::v1::EventBody system_draft() {
  weiquan::v1::EventBody body;
  body.mutable_actor()->set_role(weiquan::v1::ROLE_SYSTEM);
  return body;
}

// (a) Ed25519 signatures per second over `body`.
double sign_rate(const crypto::SigningKeyPair& key, const crypto::Bytes& body, std::size_t n) {
  crypto::Bytes scratch = body;
  const auto start = Clock::now();
  std::uint8_t sink = 0;
  for (std::size_t i = 0; i < n; ++i) {
    scratch[i % scratch.size()] ^= 1;
    sink ^= crypto::sign(key, crypto::Domain::event, scratch)[0];
  }
  const double elapsed = seconds_since(start);
  if (sink == 0xff) std::puts("");
  return static_cast<double>(n) / elapsed;
}

void exec(sqlite3* db, const char* sql) {
  if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
    std::fprintf(stderr, "sqlite: %s\n", sqlite3_errmsg(db));
    std::exit(1);
  }
}

// (b) Event-log rows committed per second, `batch` rows per transaction.
double sqlite_rate(const std::filesystem::path& path, const crypto::Bytes& body, std::size_t n,
                   std::size_t batch) {
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) std::exit(1);
  exec(db, "PRAGMA journal_mode = WAL");
  exec(db, "PRAGMA synchronous = FULL");
  exec(db,
       "CREATE TABLE events (ticket_id TEXT NOT NULL, seq INTEGER NOT NULL, event_id BLOB NOT "
       "NULL, kind TEXT NOT NULL, body BLOB NOT NULL, signature BLOB NOT NULL, signer TEXT NOT "
       "NULL, time_ms INTEGER NOT NULL, applied_at_ms INTEGER NOT NULL, PRIMARY KEY (ticket_id, "
       "seq)) STRICT");
  sqlite3_stmt* insert = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO events VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", -1,
                     &insert, nullptr);
  const crypto::Signature signature{};
  std::vector<std::string> tickets;
  for (std::size_t t = 0; t < kTickets; ++t) {
    char id[32];
    std::snprintf(id, sizeof id, "440305-20250303-%06zu", t + 1);
    tickets.emplace_back(id);
  }
  const auto start = Clock::now();
  for (std::size_t i = 0; i < n;) {
    exec(db, "BEGIN IMMEDIATE");
    for (std::size_t j = 0; j < batch && i < n; ++j, ++i) {
      const crypto::Hash id = crypto::blake2b_256(body);
      sqlite3_bind_text(insert, 1, tickets[i % kTickets].c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64(insert, 2, static_cast<std::int64_t>(i / kTickets + 1));
      sqlite3_bind_blob(insert, 3, id.data(), id.size(), SQLITE_TRANSIENT);
      sqlite3_bind_text(insert, 4, "message", -1, SQLITE_STATIC);
      sqlite3_bind_blob(insert, 5, body.data(), static_cast<int>(body.size()), SQLITE_TRANSIENT);
      sqlite3_bind_blob(insert, 6, signature.data(), signature.size(), SQLITE_TRANSIENT);
      sqlite3_bind_text(insert, 7, "440305", -1, SQLITE_STATIC);
      sqlite3_bind_int64(insert, 8, kT0);
      sqlite3_bind_int64(insert, 9, kT0);
      if (sqlite3_step(insert) != SQLITE_DONE) std::exit(1);
      sqlite3_reset(insert);
    }
    exec(db, "COMMIT");
  }
  const double elapsed = seconds_since(start);
  sqlite3_finalize(insert);
  sqlite3_close(db);
  return static_cast<double>(n) / elapsed;
}

struct StoreFigures {
  double submit_rate = 0;  // tickets opened per second (event + receipt)
  double append_rate = 0;  // events per second
  std::size_t body_bytes = 0;
};

// (c) The real path: EventWriter into a Store.
StoreFigures store_rate(const std::filesystem::path& path, const crypto::NodeKeys& national,
                        const crypto::NodeKeys& county, std::size_t n, std::size_t batch) {
  sync::StoreOptions options;
  options.path = path;
  options.anchor_key = national.sign.public_key;
  auto store = must(sync::Store::open(options), "open store");
  must(store.add_certificate(
           must(sync::issue_anchor_certificate(national, kValidFrom, kValidUntil, 1), "anchor")),
       "add anchor");
  crypto::Certificate cert;
  cert.node_id = "440305";
  cert.level = crypto::Level::county;
  cert.region = "440305";
  cert.sign_key = county.sign.public_key;
  cert.box_key = county.box.public_key;
  cert.not_before_ms = kValidFrom;
  cert.not_after_ms = kValidUntil;
  cert.serial = 1;
  cert.issuer = "cn";
  must(store.add_certificate(must(sync::issue_certificate(cert, national.sign), "issue")),
       "add county");
  auto writer = must(sync::EventWriter::create(store, county.sign, "440305", kT0), "writer");

  // Tickets filed at the county, routed to itself and received: messages may follow.
  std::vector<weiquan::v1::EventBody> complaints(kTickets);
  for (auto& body : complaints) {
    body.mutable_actor()->set_role(weiquan::v1::ROLE_CONSUMER);
    body.mutable_actor()->set_id("consumer");
    auto& submitted = *body.mutable_submitted();
    submitted.set_type(weiquan::v1::TICKET_TYPE_COMPLAINT);
    submitted.set_channel(weiquan::v1::CHANNEL_WEB);
    submitted.set_jurisdiction_region("440305");
    submitted.set_description("空调安装后不制冷，商家拒绝退货。");
  }
  StoreFigures figures;
  auto start = Clock::now();
  std::vector<std::string> tickets;
  for (std::size_t i = 0; i < kTickets; i += batch) {
    const std::size_t count = std::min(batch, kTickets - i);
    auto submitted =
        must(writer.submit_batch(std::span(complaints).subspan(i, count), "440305", kT0 + 60'000),
             "submit");
    for (auto& one : submitted)
      tickets.push_back(must(std::move(one), "submission").event.ticket_id());
  }
  figures.submit_rate = static_cast<double>(kTickets) / seconds_since(start);
  std::vector<sync::Draft> setup;
  for (const auto& ticket : tickets) {
    auto routed = system_draft();
    routed.mutable_routed()->set_to_node("440305");
    setup.push_back({ticket, routed});
  }
  for (const auto& ticket : tickets) {
    auto received = system_draft();
    received.mutable_received();
    setup.push_back({ticket, received});
  }
  for (auto& result : must(writer.append_batch(setup, kT0 + 120'000), "route")) {
    must(std::move(result), "route one");
  }

  std::vector<sync::Draft> drafts;
  for (std::size_t i = 0; i < n; ++i) drafts.push_back({tickets[i % kTickets], message_draft(i)});
  start = Clock::now();
  for (std::size_t i = 0; i < n; i += batch) {
    const std::size_t count = std::min(batch, n - i);
    auto results = must(writer.append_batch(std::span(drafts).subspan(i, count),
                                            kT0 + 180'000 + static_cast<std::int64_t>(i)),
                        "append");
    for (auto& result : results) {
      auto event = must(std::move(result), "append one");
      figures.body_bytes = event.body_bytes.size();
    }
  }
  figures.append_rate = static_cast<double>(n) / seconds_since(start);
  return figures;
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t events = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 20'000;
  const std::size_t batch = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 500;
  if (events == 0 || batch == 0 || events > 10'000'000) {
    std::fprintf(stderr, "usage: weiquan_store_bench [events 1..10000000] [batch >= 1]\n");
    return 2;
  }
  TempDir dir;
  const auto national = crypto::NodeKeys::generate();
  const auto county = crypto::NodeKeys::generate();

  const StoreFigures store = store_rate(dir.path / "store.db", national, county, events, batch);
  const crypto::Bytes body(store.body_bytes, 0x5a);
  const double sign = sign_rate(county.sign, body, events);
  const double insert = sqlite_rate(dir.path / "plain.db", body, events, batch);
  const double limit = std::min(sign, insert);

  std::printf("event store benchmark: %zu events, %zu per transaction, %zu-byte bodies\n", events,
              batch, store.body_bytes);
  std::printf("%-48s %12s\n", "measure", "per second");
  std::printf("%-48s %12.0f\n", "(a) Ed25519 signatures", sign);
  std::printf("%-48s %12.0f\n", "(b) SQLite event-row inserts (WAL, sync FULL)", insert);
  std::printf("%-48s %12.0f\n", "(c) events signed, chained, checked, committed",
              store.append_rate);
  std::printf("%-48s %12.0f\n", "    tickets opened (event + signed receipt)", store.submit_rate);
  std::printf("ratio (c)/(a) = %.2f, (c)/(b) = %.2f, (c)/min = %.2f (target >= 0.50)\n",
              store.append_rate / sign, store.append_rate / insert, store.append_rate / limit);
  return 0;
}

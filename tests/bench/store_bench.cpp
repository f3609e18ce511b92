// Event store throughput against the machine's own limits, measured in the same run:
//   (a) Ed25519 signatures per second over bodies of the size the store signs;
//   (b) rows per second that SQLite commits into a table shaped like the event log, with the same
//       pragmas (WAL, synchronous=FULL) and the same batch size;
//   (c) events per second that EventWriter authors, signs, chains, checks against the lifecycle,
//       projects and commits, in batches of the same size;
//   (d) tickets per second opened by EventWriter::intake_batch at the office with jurisdiction:
//       `submitted`, `routed` to itself and `received` (three events, three signatures) plus the
//       consumer's signed receipt each, `intake` tickets per transaction (the node's group commit).
// The four run in alternating rounds and each reports its best round, so that load from other
// processes on the machine skews none of them against the others. Prints a table, the ratio of
// (c) to the lower of (a) and (b), and that of (d) to (a).
//
// Usage: weiquan_store_bench [events] [batch] [rounds] [intake]
//        (defaults 20000, 500, 20 and 200; each round opens events/rounds/3 tickets)
#include <sqlite3.h>
#include <stdlib.h>

#include <algorithm>
#include <cassert>
#include <chrono>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "must.h"
#include "node_certificates.h"
#include "temp_dir.h"
#include "weiquan/crypto/hash.h"
#include "weiquan/crypto/signing.h"
#include "weiquan/sync/event_writer.h"
#include "weiquan/sync/store.h"

namespace {

using Clock = std::chrono::steady_clock;
using namespace wq;
using testing::must;
using testing::TempDir;

constexpr std::int64_t kT0 = 1'740'963'600'000;  // 2025-03-03 09:00 CST
constexpr std::size_t kTickets = 1000;

// Operations per second of `run(count)`.
template <class F>
double rate(std::size_t count, F&& run) {
  const auto start = Clock::now();
  run(count);
  return static_cast<double>(count) / std::chrono::duration<double>(Clock::now() - start).count();
}

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

weiquan::v1::EventBody complaint_draft(std::size_t i) {
  weiquan::v1::EventBody body;
  body.mutable_actor()->set_role(weiquan::v1::ROLE_CONSUMER);
  body.mutable_actor()->set_id("c-" + std::to_string(i % 1000));
  auto& submitted = *body.mutable_submitted();
  submitted.set_type(weiquan::v1::TICKET_TYPE_COMPLAINT);
  submitted.set_channel(weiquan::v1::CHANNEL_WEB);
  submitted.set_received_at_ms(kT0);
  submitted.set_jurisdiction_region("440305");
  submitted.mutable_business()->set_name("深圳市某某电器有限公司");
  submitted.mutable_business()->set_uscc("91440300MA5XXXXXX1");
  submitted.set_category("家用电器");
  submitted.set_amount_fen(129900);
  submitted.set_description("空调安装后不制冷，商家拒绝退货。");
  submitted.set_demands("退货退款");
  return body;
}

// A ticket filed online at the county, which has jurisdiction: routed to itself and received.
sync::NewTicket intake_draft(std::size_t i) {
  auto routed = system_draft();
  routed.mutable_routed()->set_to_node("440305");
  routed.mutable_routed()->set_region("440305");
  auto received = system_draft();
  received.mutable_received();
  return {complaint_draft(i), "440305", {std::move(routed), std::move(received)}};
}

// (a) Ed25519 signatures over bodies of one size.
class Signer {
 public:
  Signer(const crypto::SigningKeyPair& key, std::size_t body_bytes)
      : key_(key), body_(body_bytes, 0x5a) {}

  void run(std::size_t count) {
    for (std::size_t i = 0; i < count; ++i) {
      body_[i % body_.size()] ^= 1;
      sink_ ^= crypto::sign(key_, crypto::Domain::event, body_)[0];
    }
  }

 private:
  const crypto::SigningKeyPair& key_;
  crypto::Bytes body_;
  std::uint8_t sink_ = 0;
};

// (b) Rows shaped like the event log into a plain SQLite table, `batch` per transaction.
class PlainInserts {
 public:
  PlainInserts(const std::filesystem::path& path, std::size_t body_bytes, std::size_t batch)
      : body_(body_bytes, 0x5a), batch_(batch) {
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) std::exit(1);
    exec("PRAGMA journal_mode = WAL");
    exec("PRAGMA synchronous = FULL");
    exec(
        "CREATE TABLE events (ticket_id TEXT NOT NULL, seq INTEGER NOT NULL, event_id BLOB NOT "
        "NULL, kind TEXT NOT NULL, body BLOB NOT NULL, signature BLOB NOT NULL, signer TEXT NOT "
        "NULL, time_ms INTEGER NOT NULL, applied_at_ms INTEGER NOT NULL, PRIMARY KEY "
        "(ticket_id, seq)) STRICT");
    sqlite3_prepare_v2(db_, "INSERT INTO events VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", -1,
                       &insert_, nullptr);
    for (std::size_t t = 0; t < kTickets; ++t) {
      char id[32];
      std::snprintf(id, sizeof id, "440305-20250303-%06zu", t + 1);
      tickets_.emplace_back(id);
    }
  }
  ~PlainInserts() {
    sqlite3_finalize(insert_);
    sqlite3_close(db_);
  }

  void run(std::size_t count) {
    const crypto::Signature signature{};
    for (std::size_t done = 0; done < count;) {
      exec("BEGIN IMMEDIATE");
      for (std::size_t j = 0; j < batch_ && done < count; ++j, ++done, ++next_) {
        body_[next_ % body_.size()] ^= 1;
        const crypto::Hash id = crypto::blake2b_256(body_);
        sqlite3_bind_text(insert_, 1, tickets_[next_ % kTickets].c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(insert_, 2, static_cast<std::int64_t>(next_ / kTickets + 1));
        sqlite3_bind_blob(insert_, 3, id.data(), id.size(), SQLITE_TRANSIENT);
        sqlite3_bind_text(insert_, 4, "message", -1, SQLITE_STATIC);
        sqlite3_bind_blob(insert_, 5, body_.data(), static_cast<int>(body_.size()),
                          SQLITE_TRANSIENT);
        sqlite3_bind_blob(insert_, 6, signature.data(), signature.size(), SQLITE_TRANSIENT);
        sqlite3_bind_text(insert_, 7, "440305", -1, SQLITE_STATIC);
        sqlite3_bind_int64(insert_, 8, kT0);
        sqlite3_bind_int64(insert_, 9, kT0);
        if (sqlite3_step(insert_) != SQLITE_DONE) std::exit(1);
        sqlite3_reset(insert_);
      }
      exec("COMMIT");
    }
  }

 private:
  void exec(const char* sql) {
    if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
      std::fprintf(stderr, "sqlite: %s\n", sqlite3_errmsg(db_));
      std::exit(1);
    }
  }

  sqlite3* db_ = nullptr;
  sqlite3_stmt* insert_ = nullptr;
  crypto::Bytes body_;
  std::size_t batch_;
  std::size_t next_ = 0;
  std::vector<std::string> tickets_;
};

// (c) The real path: EventWriter into a Store, messages on tickets the county holds.
class StoreAppends {
 public:
  StoreAppends(const std::filesystem::path& path, const crypto::NodeKeys& national,
               const crypto::NodeKeys& county, std::size_t batch)
      : store_(open(path, national)), batch_(batch) {
    must(store_.add_certificate(must(testing::anchor_certificate(national), "anchor")),
         "add anchor");
    must(store_.add_certificate(must(testing::node_certificate("440305", crypto::Level::county,
                                                               county, "cn", national.sign),
                                     "issue")),
         "add county");
    writer_.emplace(must(sync::EventWriter::create(store_, county.sign, "440305", kT0), "writer"));
  }

  // Files kTickets complaints at the county (event and signed receipt each), `batch` per
  // transaction, then routes them to the county itself and receives them, so messages may follow.
  void open_tickets(std::size_t count) {
    std::vector<weiquan::v1::EventBody> complaints;
    for (std::size_t i = 0; i < count; ++i) complaints.push_back(complaint_draft(i));
    for (std::size_t i = 0; i < count; i += batch_) {
      const auto part = std::span(complaints).subspan(i, std::min(batch_, count - i));
      for (auto& one : must(writer_->submit_batch(part, "440305", kT0 + 60'000), "submit")) {
        tickets_.push_back(must(std::move(one), "submission").event.ticket_id());
      }
    }
  }

  void route_tickets() {
    std::vector<sync::Draft> drafts;
    for (const auto& ticket : tickets_) {
      auto routed = system_draft();
      routed.mutable_routed()->set_to_node("440305");
      drafts.push_back({ticket, routed});
    }
    for (const auto& ticket : tickets_) {
      auto received = system_draft();
      received.mutable_received();
      drafts.push_back({ticket, received});
    }
    for (auto& result : must(writer_->append_batch(drafts, kT0 + 120'000), "route")) {
      must(std::move(result), "route one");
    }
  }

  // Builds the drafts of the next `count` messages, round robin over the tickets (the input of
  // the path measured, so not part of it).
  void prepare(std::size_t count) {
    drafts_.clear();
    for (std::size_t i = 0; i < count; ++i, ++next_) {
      drafts_.push_back({tickets_[next_ % tickets_.size()], message_draft(next_)});
    }
  }

  // Builds the next `count` intakes (the input of the path measured, so not part of it).
  void prepare_intake(std::size_t count) {
    intakes_.clear();
    for (std::size_t i = 0; i < count; ++i) intakes_.push_back(intake_draft(i));
  }

  // Opens the prepared tickets, `batch` per intake_batch transaction.
  void intake(std::size_t count, std::size_t batch) {
    assert(count == intakes_.size());
    for (std::size_t i = 0; i < count; i += batch) {
      const auto part = std::span(intakes_).subspan(i, std::min(batch, count - i));
      for (auto& result : must(writer_->intake_batch(part, kT0 + 60'000), "intake")) {
        must(std::move(result), "intake one");
      }
    }
  }

  // Appends the prepared messages, `batch` per transaction.
  void run(std::size_t count) {
    assert(count == drafts_.size());
    for (std::size_t i = 0; i < count; i += batch_) {
      const auto part = std::span(drafts_).subspan(i, std::min(batch_, count - i));
      const std::int64_t now = kT0 + 180'000 + static_cast<std::int64_t>(next_ + i);
      for (auto& result : must(writer_->append_batch(part, now), "append")) {
        body_bytes_ = must(std::move(result), "append one").body_bytes.size();
      }
    }
  }

  std::size_t body_bytes() const { return body_bytes_; }

 private:
  static sync::Store open(const std::filesystem::path& path, const crypto::NodeKeys& national) {
    sync::StoreOptions options;
    options.path = path;
    options.anchor_key = national.sign.public_key;
    return must(sync::Store::open(options), "open store");
  }

  sync::Store store_;
  std::optional<sync::EventWriter> writer_;
  std::size_t batch_;
  std::vector<std::string> tickets_;
  std::vector<sync::Draft> drafts_;
  std::vector<sync::NewTicket> intakes_;
  std::size_t next_ = 0;
  std::size_t body_bytes_ = 0;
};

}  // namespace

int main(int argc, char** argv) try {
  const std::size_t events = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 20'000;
  const std::size_t batch = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 500;
  const std::size_t rounds = argc > 3 ? std::strtoul(argv[3], nullptr, 10) : 20;
  const std::size_t intake_batch = argc > 4 ? std::strtoul(argv[4], nullptr, 10) : 200;
  if (events == 0 || events > 10'000'000 || batch == 0 || rounds == 0 || events / rounds < 3 ||
      intake_batch == 0) {
    std::fprintf(stderr, "usage: weiquan_store_bench [events] [batch] [rounds] [intake]\n");
    return 2;
  }
  TempDir dir;
  const auto national = crypto::NodeKeys::generate();
  const auto county = crypto::NodeKeys::generate();

  StoreAppends store(dir.path() / "store.db", national, county, batch);
  const double open_rate = rate(kTickets, [&](std::size_t n) { store.open_tickets(n); });
  store.route_tickets();
  store.prepare(batch);
  store.run(batch);  // one batch to learn the body size
  Signer signer(county.sign, store.body_bytes());
  PlainInserts plain(dir.path() / "plain.db", store.body_bytes(), batch);

  double sign = 0;
  double insert = 0;
  double append = 0;
  double intake = 0;
  const std::size_t per_round = events / rounds;
  const std::size_t tickets_per_round = per_round / 3;
  for (std::size_t round = 0; round < rounds; ++round) {
    sign = std::max(sign, rate(per_round, [&](std::size_t n) { signer.run(n); }));
    insert = std::max(insert, rate(per_round, [&](std::size_t n) { plain.run(n); }));
    store.prepare(per_round);
    append = std::max(append, rate(per_round, [&](std::size_t n) { store.run(n); }));
    store.prepare_intake(tickets_per_round);
    intake = std::max(
        intake, rate(tickets_per_round, [&](std::size_t n) { store.intake(n, intake_batch); }));
  }
  const double limit = std::min(sign, insert);

  std::printf("event store: %zu events in %zu rounds, %zu per transaction, %zu-byte bodies\n",
              per_round * rounds, rounds, batch, store.body_bytes());
  std::printf("%-52s %10s\n", "measure (best round)", "per second");
  std::printf("%-52s %10.0f\n", "(a) Ed25519 signatures", sign);
  std::printf("%-52s %10.0f\n", "(b) SQLite event-row inserts (WAL, synchronous=FULL)", insert);
  std::printf("%-52s %10.0f\n", "(c) events signed, chained, checked and committed", append);
  std::printf("%-52s %10.0f\n", "    tickets opened (event and signed receipt)", open_rate);
  std::printf("%-52s %10.0f\n", "(d) tickets taken in by intake_batch (3 events each)", intake);
  std::printf("    %zu tickets per transaction: %.0f events/s, 4 signatures per ticket\n",
              intake_batch, 3 * intake);
  std::printf("ratios: (c)/(a) = %.2f, (c)/(b) = %.2f, (c)/min((a),(b)) = %.2f (aim >= 0.50)\n",
              append / sign, append / insert, append / limit);
  std::printf(
      "        (d)/(a) = %.3f (4 signatures per ticket: 0.25 is signing alone on one core)\n",
      intake / sign);
  return 0;
} catch (const std::exception& failure) {  // a failed step (must) or set-up
  std::fprintf(stderr, "%s\n", failure.what());
  return 1;
}

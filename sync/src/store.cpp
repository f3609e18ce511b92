#include <cassert>
#include <chrono>
#include <string>
#include <tuple>

#include "rules.h"
#include "schema.h"
#include "store_impl.h"
#include "store_rows.h"
#include "weiquan/crypto/hash.h"
#include "weiquan/sync/certificate_codec.h"
#include "weiquan/sync/chain.h"
#include "weiquan/sync/ticket_id.h"
#include "work_ahead.h"

namespace wq::sync {
namespace {

constexpr std::uint64_t kAllEvents = static_cast<std::uint64_t>(INT64_MAX);

bool same_clocks(const std::vector<policies::Clock>& a, const std::vector<policies::Clock>& b) {
  const auto fields = [](const policies::Clock& c) {
    return std::tie(c.name, c.period.amount, c.period.unit, c.started_ms, c.due_ms, c.stopped_ms,
                    c.paused_at_ms, c.extension_days, c.policy, c.article, c.provisional);
  };
  const auto same_pause = [](const policies::Pause& x, const policies::Pause& y) {
    return x.from_ms == y.from_ms && x.to_ms == y.to_ms;
  };
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [&](const auto& x, const auto& y) {
    return fields(x) == fields(y) && std::equal(x.pauses.begin(), x.pauses.end(), y.pauses.begin(),
                                                y.pauses.end(), same_pause);
  });
}

Result<WriterStatements> prepare_statements(sql::Db& db) {
  WriterStatements s;
  const std::pair<sql::Stmt*, std::string_view> all[] = {
      {&s.select_event_id, "SELECT event_id FROM events WHERE ticket_id = ?1 AND seq = ?2"},
      {&s.ticket_exists, "SELECT 1 FROM tickets WHERE ticket_id = ?1"},
      {&s.insert_ticket, rows::kInsertTicket},
      {&s.update_ticket, rows::kUpdateTicket},
      {&s.insert_event,
       "INSERT INTO events (ticket_id, seq, event_id, kind, body, signature, signer, time_ms, "
       "applied_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"},
      {&s.delete_clocks, "DELETE FROM clocks WHERE ticket_id = ?1"},
      {&s.insert_clock, rows::kInsertClock},
      {&s.insert_quarantine,
       "INSERT OR IGNORE INTO quarantine (ticket_id, seq, event_id, existing_id, body, signature, "
       "signer, detected_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"},
      {&s.select_serial,
       "SELECT last_serial FROM ticket_serials WHERE intake_node = ?1 AND date = ?2"},
      {&s.store_serial,
       "INSERT INTO ticket_serials (intake_node, date, last_serial) VALUES (?1, ?2, ?3) "
       "ON CONFLICT (intake_node, date) DO UPDATE SET last_serial = excluded.last_serial"},
      {&s.savepoint, "SAVEPOINT item"},
      {&s.release, "RELEASE item"},
      {&s.rollback_to, "ROLLBACK TO item"},
      {&s.insert_outbox,
       "INSERT OR IGNORE INTO outbox (peer, ticket_id, seq, enqueued_at_ms) VALUES (?1, ?2, ?3, "
       "?4)"},
      {&s.delete_outbox, "DELETE FROM outbox WHERE peer = ?1 AND ticket_id = ?2 AND seq = ?3"},
  };
  for (const auto& [stmt, text] : all) {
    auto prepared = db.prepare(text);
    if (!prepared) return prepared.error();
    *stmt = std::move(*prepared);
  }
  return s;
}

// Writes a ticket's rows as they are in `after`, given what was written as of `before` (last_seq 0:
// nothing): a new row or the changed columns, and the clocks when they changed. A new ticket has
// no clock rows to delete.
Status write_projection(WriterStatements& s, const Projection& before, const Projection& after) {
  const Ticket& old = before.ticket;
  const Ticket& now = after.ticket;
  if (old.last_seq == 0) {
    rows::bind_ticket(s.insert_ticket, now);
    if (Status ok = s.insert_ticket.run(); !ok) return ok;
  } else if (!rows::same_row(old, now)) {
    rows::bind_ticket_update(s.update_ticket, now);
    if (Status ok = s.update_ticket.run(); !ok) return ok;
  }
  if (same_clocks(before.clocks.clocks(), after.clocks.clocks())) return {};
  if (old.last_seq != 0) {
    if (Status ok = s.delete_clocks.bind(1, after.ticket.id).run(); !ok) return ok;
  }
  int position = 0;
  for (const policies::Clock& clock : after.clocks.clocks()) {
    rows::bind_clock(s.insert_clock, after.ticket.id, position++, clock);
    if (Status ok = s.insert_clock.run(); !ok) return ok;
  }
  return {};
}

Status configure_writer(sql::Db& db) {
  // WAL with synchronous=FULL: a commit is durable when it returns, so it may be acked.
  for (std::string_view pragma :
       {"PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL", "PRAGMA foreign_keys = ON"}) {
    if (Status ok = db.exec(pragma); !ok) return ok;
  }
  return {};
}

template <class Decode>
Status add_stored(crypto::TrustStore& trust, const Record& record, Decode decode) {
  auto decoded = decode(record.body, record.signature, record.signer);
  Status added = decoded ? trust.add(std::move(*decoded)) : Status(decoded.error());
  if (added) return {};
  return make_error("sync.corrupt", "stored " + std::string(record_type_name(record.type)) +
                                        " of " + record.node_id + ": " + added.error().message +
                                        " (run `weiquan verify`)");
}

Status load_trust(sql::Db& db, crypto::TrustStore& trust) {
  if (Status ok = rows::scan(db, RecordType::certificate,
                             [&](const Record& record) {
                               return add_stored(trust, record, [](auto... args) {
                                 return decode_certificate(args...);
                               });
                             });
      !ok) {
    return ok;
  }
  return rows::scan(db, RecordType::revocation, [&](const Record& record) {
    return add_stored(trust, record, [](auto... args) { return decode_revocation(args...); });
  });
}

Error seq_gap(const SignedEvent& event, std::uint64_t last_seq) {
  return make_error("sync.seq_gap", "event " + event.ticket_id() + " seq " +
                                        std::to_string(event.seq()) + ": this node has up to seq " +
                                        std::to_string(last_seq));
}

}  // namespace

Store::Impl::Impl(StoreOptions store_options, sql::Db connection)
    : options(std::move(store_options)),
      db(std::move(connection)),
      trust(options.anchor_key, options.anchor_id),
      reader(nullptr) {}

std::int64_t Store::Impl::now_ms() const {
  if (options.now_ms) return options.now_ms();
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Result<Projection*> Store::Impl::projection(const std::string& ticket_id) {
  if (auto it = cache.find(ticket_id); it != cache.end()) return &it->second;
  Projection loaded;
  auto exists = statements.ticket_exists.bind(1, ticket_id).step();
  statements.ticket_exists.reset();
  if (!exists) return exists.error();
  auto stored = *exists ? rows::ticket(db, ticket_id) : std::optional<Ticket>();
  if (!stored) return stored.error();
  if (*stored) {
    loaded.ticket = std::move(**stored);
    loaded.ticket.clocks.clear();
    auto events = rows::events(db, ticket_id, 1, kAllEvents);
    if (!events) return events.error();
    auto policy = find_policy(loaded.ticket.rule_version);
    if (!policy) return policy.error();
    loaded.policy = *policy;
    auto clocks = replay_clocks(loaded.ticket, **policy, *events);
    if (!clocks) return clocks.error();
    loaded.clocks = std::move(*clocks);
  } else {
    loaded.ticket.id = ticket_id;
  }
  if (cache.size() >= options.clock_cache_tickets) {
    if (Status ok = write_projections(); !ok) return ok.error();
    cache.clear();
  }
  return &cache.emplace(ticket_id, std::move(loaded)).first->second;
}

Status Store::Impl::write_projections() {
  for (const auto& [ticket_id, written] : unwritten) {
    const auto current = cache.find(ticket_id);
    assert(current != cache.end());
    if (Status ok = write_projection(statements, written, current->second); !ok) return ok;
    if (Status ok = update_stats(stats_statements, written.ticket, current->second.ticket); !ok) {
      return ok;
    }
  }
  unwritten.clear();
  return {};
}

void Store::Impl::forget_unwritten() {
  for (const auto& [ticket_id, written] : unwritten) cache.erase(ticket_id);
  unwritten.clear();
}

Result<ApplyOutcome> Store::Impl::apply_in_transaction(const SignedEvent& event,
                                                       bool trusted_signature) {
  auto found = projection(event.ticket_id());
  if (!found) return found.error();
  Projection& current = **found;
  const bool existing = event.seq() <= current.ticket.last_seq;
  if (!existing && event.seq() != current.ticket.last_seq + 1) {
    return seq_gap(event, current.ticket.last_seq);
  }
  EventId stored_id{};
  if (existing) {
    auto& select = statements.select_event_id;
    select.bind(1, event.ticket_id()).bind(2, rows::to_sql(event.seq()));
    auto row = select.step();
    if (row && *row) {
      std::copy_n(select.blob(0).begin(), std::min(select.blob(0).size(), stored_id.size()),
                  stored_id.begin());
    }
    select.reset();
    if (!row) return row.error();
    if (stored_id == event.id) return ApplyOutcome::duplicate;
  } else if (Status ok = check_next(current.ticket.last_seq, current.ticket.head, event); !ok) {
    return ok.error();
  }

  auto cert = trust.verify_chain(event.author(), event.body.time_ms());
  if (!cert) return cert.error();
  if (!trusted_signature) {
    if (Status ok = verify_signature(event, (*cert)->cert.sign_key); !ok) return ok.error();
  }

  if (existing) {
    auto& insert = statements.insert_quarantine;
    insert.bind(1, event.ticket_id())
        .bind(2, rows::to_sql(event.seq()))
        .bind(3, crypto::ByteView(event.id))
        .bind(4, crypto::ByteView(stored_id))
        .bind(5, crypto::ByteView(event.body_bytes))
        .bind(6, crypto::ByteView(event.signature))
        .bind(7, event.author())
        .bind(8, now_ms());
    if (Status ok = insert.run(); !ok) return ok.error();
    return ApplyOutcome::quarantined;
  }

  auto next = advance(current, event, (*cert)->cert.level);
  if (!next) return next.error();
  unwritten.try_emplace(event.ticket_id(), current);
  auto& insert = statements.insert_event;
  insert.bind(1, event.ticket_id())
      .bind(2, rows::to_sql(event.seq()))
      .bind(3, crypto::ByteView(event.id))
      .bind(4, event.kind())
      .bind(5, crypto::ByteView(event.body_bytes))
      .bind(6, crypto::ByteView(event.signature))
      .bind(7, event.author())
      .bind(8, event.body.time_ms())
      .bind(9, now_ms());
  if (Status ok = insert.run(); !ok) return ok.error();
  current = std::move(*next);
  return ApplyOutcome::applied;
}

Result<std::uint32_t> Store::Impl::next_ticket_serial(const std::string& intake_node,
                                                      std::uint32_t date) {
  auto drawn = serials.find({intake_node, date});
  if (drawn == serials.end()) {
    auto& stmt = statements.select_serial;
    stmt.bind(1, intake_node).bind(2, std::int64_t{date});
    auto row = stmt.step();
    const std::int64_t last = row && *row ? stmt.int64(0) : 0;
    stmt.reset();
    if (!row) return row.error();
    if (last < 0 || last > kMaxTicketSerial) {
      return make_error("sync.corrupt", "the last ticket serial of " + intake_node + " on " +
                                            std::to_string(date) + " is out of range");
    }
    drawn = serials.emplace(std::pair(intake_node, date), static_cast<std::uint32_t>(last)).first;
  }
  if (drawn->second == kMaxTicketSerial) {
    return make_error("sync.ticket_serial_exhausted",
                      intake_node + " has opened every ticket serial of " + std::to_string(date));
  }
  return ++drawn->second;
}

Status Store::Impl::write_serials() {
  for (const auto& [key, last] : serials) {
    statements.store_serial.bind(1, key.first)
        .bind(2, std::int64_t{key.second})
        .bind(3, std::int64_t{last});
    if (Status ok = statements.store_serial.run(); !ok) return ok;
  }
  return {};
}

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;

Result<Store> Store::open(StoreOptions options) {
  auto db = sql::Db::open(options.path, sql::Db::Mode::read_write_create, options.busy_timeout_ms);
  if (!db) return db.error();
  if (Status ok = configure_writer(*db); !ok) return ok.error();
  if (Status ok = migrate(*db); !ok) return ok.error();
  auto impl = std::make_unique<Impl>(std::move(options), std::move(*db));
  auto reader_impl = std::make_unique<StoreReader::Impl>();
  reader_impl->db = &impl->db;
  impl->reader = StoreReader(std::move(reader_impl));
  if (Status ok = load_trust(impl->db, impl->trust); !ok) return ok.error();
  auto statements = prepare_statements(impl->db);
  if (!statements) return statements.error();
  impl->statements = std::move(*statements);
  auto stats_statements = prepare_stats(impl->db);
  if (!stats_statements) return stats_statements.error();
  impl->stats_statements = std::move(*stats_statements);
  auto backlog = impl->reader.outbox_backlog();
  if (!backlog) return backlog.error();
  for (const OutboxBacklog& owed : *backlog) impl->outbox_rows.emplace(owed.peer, owed.rows);
  Store store(std::move(impl));
  if (Status ok = store.impl_->rebuild_stats_if_pending(); !ok) return ok.error();
  return store;
}

const StoreReader& Store::reader() const {
  return impl_->reader;
}
const crypto::TrustStore& Store::trust() const {
  return impl_->trust;
}

Status Store::add_certificate(const crypto::SignedCertificate& cert) {
  if (Status ok = impl_->trust.add(cert); !ok) return ok;
  return impl_->in_transaction([&]() -> Status {
    auto stmt = impl_->db.prepare(
        "INSERT OR IGNORE INTO certificates (certificate_id, node_id, serial, issuer, level, body, "
        "signature, added_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    if (!stmt) return stmt.error();
    stmt->bind(1, crypto::ByteView(crypto::blake2b_256(cert.body)))
        .bind(2, cert.cert.node_id)
        .bind(3, rows::to_sql(cert.cert.serial))
        .bind(4, cert.cert.issuer)
        .bind(5, static_cast<std::int64_t>(cert.cert.level))
        .bind(6, crypto::ByteView(cert.body))
        .bind(7, crypto::ByteView(cert.signature))
        .bind(8, impl_->now_ms());
    return stmt->run();
  });
}

Status Store::add_revocation(const crypto::SignedRevocation& revocation) {
  if (Status ok = impl_->trust.add(revocation); !ok) return ok;
  return impl_->in_transaction([&]() -> Status {
    auto stmt = impl_->db.prepare(
        "INSERT OR IGNORE INTO revocations (revocation_id, node_id, serial, issuer, body, "
        "signature, added_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    if (!stmt) return stmt.error();
    stmt->bind(1, crypto::ByteView(crypto::blake2b_256(revocation.body)))
        .bind(2, revocation.revocation.node_id)
        .bind(3, rows::to_sql(revocation.revocation.serial))
        .bind(4, revocation.revocation.issuer)
        .bind(5, crypto::ByteView(revocation.body))
        .bind(6, crypto::ByteView(revocation.signature))
        .bind(7, impl_->now_ms());
    return stmt->run();
  });
}

Result<ApplyOutcome> Store::apply(const SignedEvent& event) {
  return impl_->in_transaction([&] { return impl_->apply_in_transaction(event, false); });
}

Result<std::vector<Result<ApplyOutcome>>> Store::apply_batch(std::span<const SignedEvent> events) {
  using Outcomes = std::vector<Result<ApplyOutcome>>;
  // A receiver of replicated batches spends most of its time verifying signatures: they are
  // checked ahead, on a helper thread, while this one applies the events before them. Each under
  // the key of its author's certificate at the event's time, looked up here because the trust store
  // belongs to this thread (apply_batch adds no certificate, so apply finds the same one). An event
  // whose check fails is checked again by apply_in_transaction, which names the failure.
  std::vector<std::optional<crypto::PublicKey>> keys(events.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    auto cert = impl_->trust.verify_chain(events[i].author(), events[i].body.time_ms());
    if (cert) keys[i] = (*cert)->cert.sign_key;
  }
  std::vector<std::uint8_t> verified(events.size(), 0);
  WorkAhead ahead(events.size(), [&](std::size_t i) {
    verified[i] = keys[i] && verify_signature(events[i], *keys[i]).ok();
  });
  return impl_->in_transaction([&]() -> Result<Outcomes> {
    Outcomes outcomes;
    outcomes.reserve(events.size());
    for (std::size_t i = 0; i < events.size(); ++i) {
      const SignedEvent& event = events[i];
      ahead.ready(i);
      auto outcome = impl_->apply_in_transaction(event, verified[i] != 0);
      if (!outcome && is_db_failure(outcome.error())) return outcome.error();
      outcomes.push_back(std::move(outcome));
    }
    return outcomes;
  });
}

}  // namespace wq::sync

#include <algorithm>
#include <cstdint>
#include <string>

#include "schema.h"
#include "store_impl.h"
#include "store_rows.h"
#include "weiquan/sync/certificate_codec.h"

namespace wq::sync {
namespace {

constexpr std::size_t kMaxEventsLimit = 10'000;

// The conditions of `query` on the tickets table (alias t), with numbered parameters ?1..?8.
std::string conditions(const TicketQuery& query) {
  std::string sql = "1";
  if (query.state) sql += " AND t.state = ?1";
  if (query.holder) sql += " AND t.holder = ?2";
  if (query.due_before_ms) sql += " AND t.next_due_ms > 0 AND t.next_due_ms < ?3";
  if (query.closed) sql += " AND t.closed = ?4";
  if (query.submitter) sql += " AND t.submitter = ?5";
  if (query.assignee_kind) sql += " AND t.assignee_kind = ?6";
  if (query.assignee) sql += " AND t.assignee = ?7";
  if (query.type) sql += " AND t.type = ?8";
  return sql;
}

void bind_conditions(sql::Stmt& stmt, const TicketQuery& query) {
  if (query.state) stmt.bind(1, *query.state);
  if (query.holder) stmt.bind(2, *query.holder);
  if (query.due_before_ms) stmt.bind(3, *query.due_before_ms);
  if (query.closed) stmt.bind(4, std::int64_t{*query.closed});
  if (query.submitter) stmt.bind(5, *query.submitter);
  if (query.assignee_kind) stmt.bind(6, *query.assignee_kind);
  if (query.assignee) stmt.bind(7, *query.assignee);
  if (query.type) stmt.bind(8, policies::type_name(*query.type));
}

// SQLite takes LIMIT and OFFSET as signed 64-bit values.
std::int64_t sql_count(std::size_t n) {
  return static_cast<std::int64_t>(std::min<std::size_t>(n, INT64_MAX));
}

template <class T, class Decode>
Result<std::vector<T>> decode_records(sql::Db& db, RecordType type, Decode decode) {
  std::vector<T> out;
  Status ok = rows::scan(db, type, [&](const Record& record) -> Status {
    auto decoded = decode(record.body, record.signature, record.signer);
    if (!decoded) {
      return make_error("sync.corrupt", "stored " + std::string(record_type_name(type)) + " of " +
                                            record.node_id + ": " + decoded.error().message);
    }
    out.push_back(std::move(*decoded));
    return {};
  });
  if (!ok) return ok.error();
  return out;
}

}  // namespace

StoreReader::StoreReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
StoreReader::StoreReader(StoreReader&&) noexcept = default;
StoreReader& StoreReader::operator=(StoreReader&&) noexcept = default;
StoreReader::~StoreReader() = default;

Result<StoreReader> StoreReader::open(const std::filesystem::path& path, int busy_timeout_ms) {
  auto db = sql::Db::open(path, sql::Db::Mode::read_only, busy_timeout_ms);
  if (!db) return db.error();
  if (Status ok = check_schema_version(*db); !ok) return ok.error();
  auto impl = std::make_unique<Impl>();
  impl->owned.emplace(std::move(*db));
  impl->db = &*impl->owned;
  return StoreReader(std::move(impl));
}

Result<std::optional<Ticket>> StoreReader::ticket(std::string_view ticket_id) const {
  return rows::ticket(*impl_->db, ticket_id);
}

Result<std::vector<Ticket>> StoreReader::tickets(const TicketQuery& query) const {
  const bool by_id = query.order == TicketOrder::by_id;
  return rows::tickets(*impl_->db, conditions(query) + (by_id ? " AND t.ticket_id > ?9" : ""),
                       by_id ? "t.ticket_id" : "t.next_due_ms = 0, t.next_due_ms, t.ticket_id",
                       "LIMIT ?10 OFFSET ?11", [&](sql::Stmt& stmt) {
                         bind_conditions(stmt, query);
                         if (by_id) stmt.bind(9, query.after_id);
                         stmt.bind(10, sql_count(std::min(query.limit, kMaxTicketQueryLimit)))
                             .bind(11, sql_count(query.offset));
                       });
}

Result<std::uint64_t> StoreReader::count(const TicketQuery& query) const {
  auto stmt = impl_->db->prepare("SELECT count(*) FROM tickets t WHERE " + conditions(query));
  if (!stmt) return stmt.error();
  bind_conditions(*stmt, query);
  auto row = stmt->step();
  if (!row) return row.error();
  return rows::from_sql(*row ? stmt->int64(0) : 0);
}

Result<std::optional<SignedEvent>> StoreReader::event(std::string_view ticket_id,
                                                      std::uint64_t seq) const {
  return rows::event(*impl_->db, ticket_id, seq);
}

Result<std::vector<SignedEvent>> StoreReader::events(std::string_view ticket_id,
                                                     std::uint64_t from_seq,
                                                     std::size_t limit) const {
  return rows::events(*impl_->db, ticket_id, from_seq, std::min(limit, kMaxEventsLimit));
}

Result<std::vector<crypto::SignedCertificate>> StoreReader::certificates() const {
  return decode_records<crypto::SignedCertificate>(
      *impl_->db, RecordType::certificate,
      [](crypto::ByteView body, crypto::ByteView signature, std::string_view signer) {
        return decode_certificate(body, signature, signer);
      });
}

Result<std::vector<crypto::SignedRevocation>> StoreReader::revocations() const {
  return decode_records<crypto::SignedRevocation>(
      *impl_->db, RecordType::revocation,
      [](crypto::ByteView body, crypto::ByteView signature, std::string_view signer) {
        return decode_revocation(body, signature, signer);
      });
}

Result<std::vector<QuarantinedEvent>> StoreReader::quarantine() const {
  auto stmt = impl_->db->prepare(
      "SELECT ticket_id, seq, signer, body, signature, existing_id, detected_at_ms "
      "FROM quarantine ORDER BY detected_at_ms, ticket_id, seq");
  if (!stmt) return stmt.error();
  std::vector<QuarantinedEvent> out;
  while (true) {
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return out;
    QuarantinedEvent item;
    item.record.type = RecordType::event;
    item.record.ticket_id = std::string(stmt->text(0));
    item.record.seq = rows::from_sql(stmt->int64(1));
    item.record.signer = std::string(stmt->text(2));
    const crypto::ByteView body = stmt->blob(3);
    const crypto::ByteView signature = stmt->blob(4);
    const crypto::ByteView existing = stmt->blob(5);
    item.record.body.assign(body.begin(), body.end());
    item.record.signature.assign(signature.begin(), signature.end());
    std::copy_n(existing.begin(), std::min(existing.size(), item.existing_id.size()),
                item.existing_id.begin());
    item.detected_at_ms = stmt->int64(6);
    out.push_back(std::move(item));
  }
}

Status StoreReader::scan(const std::function<Status(const Record&)>& visit) const {
  return rows::scan(*impl_->db, visit);
}

}  // namespace wq::sync

#include <algorithm>
#include <string>

#include "schema.h"
#include "store_impl.h"
#include "store_rows.h"
#include "weiquan/sync/certificate_codec.h"

namespace wq::sync {
namespace {

constexpr std::size_t kMaxQueryLimit = 10'000;

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
  std::string sql = "SELECT ticket_id FROM tickets WHERE ticket_id > ?1";
  if (query.state) sql += " AND state = ?2";
  if (query.holder) sql += " AND holder = ?3";
  if (query.due_before_ms) sql += " AND next_due_ms > 0 AND next_due_ms < ?4";
  if (query.closed) sql += " AND closed = ?5";
  sql += " ORDER BY ticket_id LIMIT ?6";
  auto stmt = impl_->db->prepare(sql);
  if (!stmt) return stmt.error();
  stmt->bind(1, query.after_id);
  if (query.state) stmt->bind(2, *query.state);
  if (query.holder) stmt->bind(3, *query.holder);
  if (query.due_before_ms) stmt->bind(4, *query.due_before_ms);
  if (query.closed) stmt->bind(5, std::int64_t{*query.closed});
  stmt->bind(6, static_cast<std::int64_t>(std::min(query.limit, kMaxQueryLimit)));
  std::vector<std::string> ids;
  while (true) {
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) break;
    ids.emplace_back(stmt->text(0));
  }
  std::vector<Ticket> out;
  for (const std::string& id : ids) {
    auto found = rows::ticket(*impl_->db, id);
    if (!found) return found.error();
    if (*found) out.push_back(std::move(**found));
  }
  return out;
}

Result<std::optional<SignedEvent>> StoreReader::event(std::string_view ticket_id,
                                                      std::uint64_t seq) const {
  return rows::event(*impl_->db, ticket_id, seq);
}

Result<std::vector<SignedEvent>> StoreReader::events(std::string_view ticket_id,
                                                     std::uint64_t from_seq,
                                                     std::size_t limit) const {
  return rows::events(*impl_->db, ticket_id, from_seq, std::min(limit, kMaxQueryLimit));
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

#include "store_rows.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <tuple>

#include "weiquan/sync/event_codec.h"

namespace wq::sync::rows {
namespace {

// The statistics columns of a ticket row (schema version 4), in the order read_stats and
// bind_stats use.
constexpr std::string_view kStatsColumns =
    "t.accepted_at_ms, t.closed_at_ms, t.closed_on_time, t.late, t.close_result, "
    "t.amount_recovered_fen, t.dispatch_count, t.first_reply_ms, t.first_reply_on_time, "
    "t.converted_to_case, t.enterprise_handled, t.self_settled, t.mediation, t.satisfaction";

void read_stats(const sql::Stmt& stmt, int first, Ticket& ticket) {
  ticket.accepted_at_ms = stmt.int64(first);
  ticket.closed_at_ms = stmt.int64(first + 1);
  ticket.closed_on_time = stmt.int64(first + 2) != 0;
  ticket.late = stmt.int64(first + 3) != 0;
  ticket.close_result = std::string(stmt.text(first + 4));
  ticket.amount_recovered_fen = stmt.int64(first + 5);
  ticket.dispatch_count = static_cast<std::uint32_t>(stmt.int64(first + 6));
  ticket.first_reply_ms = stmt.int64(first + 7);
  ticket.first_reply_on_time = stmt.int64(first + 8) != 0;
  ticket.converted_to_case = stmt.int64(first + 9) != 0;
  ticket.enterprise_handled = stmt.int64(first + 10) != 0;
  ticket.self_settled = stmt.int64(first + 11) != 0;
  ticket.mediation = static_cast<int>(stmt.int64(first + 12));
  ticket.satisfaction = static_cast<int>(stmt.int64(first + 13));
}

void bind_stats(sql::Stmt& stmt, int first, const Ticket& ticket) {
  stmt.bind(first, ticket.accepted_at_ms)
      .bind(first + 1, ticket.closed_at_ms)
      .bind(first + 2, std::int64_t{ticket.closed_on_time})
      .bind(first + 3, std::int64_t{ticket.late})
      .bind(first + 4, ticket.close_result)
      .bind(first + 5, ticket.amount_recovered_fen)
      .bind(first + 6, std::int64_t{ticket.dispatch_count})
      .bind(first + 7, ticket.first_reply_ms)
      .bind(first + 8, std::int64_t{ticket.first_reply_on_time})
      .bind(first + 9, std::int64_t{ticket.converted_to_case})
      .bind(first + 10, std::int64_t{ticket.enterprise_handled})
      .bind(first + 11, std::int64_t{ticket.self_settled})
      .bind(first + 12, std::int64_t{ticket.mediation})
      .bind(first + 13, std::int64_t{ticket.satisfaction});
}

bool same_stats(const Ticket& a, const Ticket& b) {
  const auto fields = [](const Ticket& t) {
    return std::tie(t.accepted_at_ms, t.closed_at_ms, t.closed_on_time, t.late, t.close_result,
                    t.amount_recovered_fen, t.dispatch_count, t.first_reply_ms,
                    t.first_reply_on_time, t.converted_to_case, t.enterprise_handled,
                    t.self_settled, t.mediation, t.satisfaction);
  };
  return fields(a) == fields(b);
}

// The selected tickets' rows (table `t`), each joined with the last event of its chain.
std::string select_tickets(std::string_view where, std::string_view order_by,
                           std::string_view limit) {
  const std::string order = order_by.empty() ? "" : " ORDER BY " + std::string(order_by);
  return "WITH t AS (SELECT * FROM tickets t WHERE " + std::string(where) + order + " " +
         std::string(limit) +
         ") SELECT t.ticket_id, t.type, t.state, t.holder, t.intake_node, t.channel, "
         "t.jurisdiction_region, t.rule_version, t.received_at_ms, e.time_ms, e.seq, e.event_id, "
         "t.next_due_ms, t.closed, t.consent_disclosure, t.consent_mediation, t.anonymous, "
         "t.submitter, t.business_uscc, t.business_name, t.category, t.assignee_kind, t.assignee, "
         "t.holders, " +
         std::string(kStatsColumns) +
         " FROM t JOIN events e ON e.ticket_id = t.ticket_id AND e.seq = "
         "(SELECT max(seq) FROM events WHERE ticket_id = t.ticket_id)" +
         order;
}

constexpr std::string_view kSelectClocks =
    "SELECT name, period_amount, period_unit, started_ms, due_ms, stopped_ms, paused_at_ms, "
    "pauses, extension_days, policy, article, provisional FROM clocks WHERE ticket_id = ?1 "
    "ORDER BY position";

// Holders are stored as node ids separated by single spaces (node ids contain none).
std::string join_holders(const std::vector<std::string>& holders) {
  std::string out;
  for (const std::string& holder : holders) {
    if (!out.empty()) out += ' ';
    out += holder;
  }
  return out;
}

std::vector<std::string> split_holders(std::string_view text) {
  std::vector<std::string> holders;
  while (!text.empty()) {
    const std::size_t end = std::min(text.find(' '), text.size());
    if (end > 0) holders.emplace_back(text.substr(0, end));
    text.remove_prefix(std::min(end + 1, text.size()));
  }
  return holders;
}

Error corrupt(std::string what, const Error& cause) {
  return make_error("sync.corrupt", what + ": " + cause.message);
}

Result<Ticket> read_ticket(const sql::Stmt& stmt) {
  Ticket ticket;
  ticket.id = std::string(stmt.text(0));
  auto type = policies::parse_type(stmt.text(1));
  if (!type) return corrupt("ticket " + ticket.id, type.error());
  ticket.type = *type;
  ticket.state = std::string(stmt.text(2));
  ticket.holder = std::string(stmt.text(3));
  ticket.intake_node = std::string(stmt.text(4));
  ticket.channel = static_cast<weiquan::v1::Channel>(stmt.int64(5));
  ticket.jurisdiction_region = std::string(stmt.text(6));
  ticket.rule_version = std::string(stmt.text(7));
  ticket.received_at_ms = stmt.int64(8);
  ticket.updated_ms = stmt.int64(9);
  ticket.last_seq = from_sql(stmt.int64(10));
  const crypto::ByteView head = stmt.blob(11);
  std::copy_n(head.begin(), std::min(head.size(), ticket.head.size()), ticket.head.begin());
  ticket.next_due_ms = stmt.int64(12);
  ticket.closed = stmt.int64(13) != 0;
  ticket.consent_disclosure = stmt.int64(14) != 0;
  ticket.consent_mediation = stmt.int64(15) != 0;
  ticket.anonymous = stmt.int64(16) != 0;
  ticket.submitter = std::string(stmt.text(17));
  ticket.business_uscc = std::string(stmt.text(18));
  ticket.business_name = std::string(stmt.text(19));
  ticket.category = std::string(stmt.text(20));
  ticket.assignee_kind = std::string(stmt.text(21));
  ticket.assignee = std::string(stmt.text(22));
  ticket.holders = split_holders(stmt.text(23));
  read_stats(stmt, 24, ticket);
  return ticket;
}

// Completed pauses as a JSON array of [from_ms, to_ms] pairs.
std::string pauses_text(const std::vector<policies::Pause>& pauses) {
  nlohmann::json out = nlohmann::json::array();
  for (const policies::Pause& pause : pauses) out.push_back({pause.from_ms, pause.to_ms});
  return out.dump();
}

Result<std::vector<policies::Pause>> parse_pauses(std::string_view text) {
  const auto json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  std::vector<policies::Pause> pauses;
  if (!json.is_array()) return make_error("sync.corrupt", "clock pauses are not an array");
  for (const auto& pair : json) {
    if (!pair.is_array() || pair.size() != 2 || !pair[0].is_number_integer() ||
        !pair[1].is_number_integer()) {
      return make_error("sync.corrupt", "a clock pause is not a pair of times");
    }
    pauses.push_back({pair[0].get<std::int64_t>(), pair[1].get<std::int64_t>()});
  }
  return pauses;
}

Result<policies::Clock> read_clock(const sql::Stmt& stmt) {
  policies::Clock clock;
  clock.name = std::string(stmt.text(0));
  clock.period.amount = stmt.int64(1);
  auto unit = policies::parse_unit(stmt.text(2));
  if (!unit) return corrupt("clock " + clock.name, unit.error());
  clock.period.unit = *unit;
  clock.started_ms = stmt.int64(3);
  clock.due_ms = stmt.int64(4);
  clock.stopped_ms = stmt.int64(5);
  clock.paused_at_ms = stmt.int64(6);
  auto pauses = parse_pauses(stmt.text(7));
  if (!pauses) return corrupt("clock " + clock.name, pauses.error());
  clock.pauses = std::move(*pauses);
  clock.extension_days = static_cast<std::int32_t>(stmt.int64(8));
  clock.policy = std::string(stmt.text(9));
  clock.article = std::string(stmt.text(10));
  clock.provisional = stmt.int64(11) != 0;
  return clock;
}

Result<SignedEvent> read_event(const sql::Stmt& stmt) {
  auto event = decode_event(stmt.blob(2), stmt.blob(3), stmt.text(4));
  if (!event) {
    return corrupt(
        "stored event " + std::string(stmt.text(0)) + " seq " + std::to_string(stmt.int64(1)),
        event.error());
  }
  return event;
}

Status scan_query(sql::Db& db, std::string_view query, RecordType type,
                  const std::function<Status(const Record&)>& visit) {
  auto stmt = db.prepare(query);
  if (!stmt) return stmt.error();
  while (true) {
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return {};
    Record record;
    record.type = type;
    if (type == RecordType::event) {
      record.ticket_id = std::string(stmt->text(0));
      record.seq = from_sql(stmt->int64(1));
    } else {
      record.node_id = std::string(stmt->text(0));
    }
    record.signer = std::string(stmt->text(2));
    const crypto::ByteView body = stmt->blob(3);
    const crypto::ByteView signature = stmt->blob(4);
    record.body.assign(body.begin(), body.end());
    record.signature.assign(signature.begin(), signature.end());
    if (Status ok = visit(record); !ok) return ok;
  }
}

}  // namespace

const std::string_view kInsertTicket =
    "INSERT INTO tickets (ticket_id, type, state, holder, intake_node, channel, "
    "jurisdiction_region, rule_version, received_at_ms, next_due_ms, closed, consent_disclosure, "
    "consent_mediation, anonymous, submitter, business_uscc, business_name, category, "
    "assignee_kind, assignee, holders, accepted_at_ms, closed_at_ms, closed_on_time, late, "
    "close_result, amount_recovered_fen, dispatch_count, first_reply_ms, first_reply_on_time, "
    "converted_to_case, enterprise_handled, self_settled, mediation, satisfaction) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, "
    "?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34, ?35)";

void bind_ticket(sql::Stmt& stmt, const Ticket& ticket) {
  stmt.bind(1, ticket.id)
      .bind(2, policies::type_name(ticket.type))
      .bind(3, ticket.state)
      .bind(4, ticket.holder)
      .bind(5, ticket.intake_node)
      .bind(6, static_cast<std::int64_t>(ticket.channel))
      .bind(7, ticket.jurisdiction_region)
      .bind(8, ticket.rule_version)
      .bind(9, ticket.received_at_ms)
      .bind(10, ticket.next_due_ms)
      .bind(11, std::int64_t{ticket.closed})
      .bind(12, std::int64_t{ticket.consent_disclosure})
      .bind(13, std::int64_t{ticket.consent_mediation})
      .bind(14, std::int64_t{ticket.anonymous})
      .bind(15, ticket.submitter)
      .bind(16, ticket.business_uscc)
      .bind(17, ticket.business_name)
      .bind(18, ticket.category)
      .bind(19, ticket.assignee_kind)
      .bind(20, ticket.assignee)
      .bind(21, join_holders(ticket.holders));
  bind_stats(stmt, 22, ticket);
}

const std::string_view kUpdateTicket =
    "UPDATE tickets SET type = ?2, state = ?3, holder = ?4, next_due_ms = ?5, closed = ?6, "
    "assignee_kind = ?7, assignee = ?8, holders = ?9, accepted_at_ms = ?10, closed_at_ms = ?11, "
    "closed_on_time = ?12, late = ?13, close_result = ?14, amount_recovered_fen = ?15, "
    "dispatch_count = ?16, first_reply_ms = ?17, first_reply_on_time = ?18, "
    "converted_to_case = ?19, enterprise_handled = ?20, self_settled = ?21, mediation = ?22, "
    "satisfaction = ?23 WHERE ticket_id = ?1";

void bind_ticket_update(sql::Stmt& stmt, const Ticket& ticket) {
  stmt.bind(1, ticket.id)
      .bind(2, policies::type_name(ticket.type))
      .bind(3, ticket.state)
      .bind(4, ticket.holder)
      .bind(5, ticket.next_due_ms)
      .bind(6, std::int64_t{ticket.closed})
      .bind(7, ticket.assignee_kind)
      .bind(8, ticket.assignee)
      .bind(9, join_holders(ticket.holders));
  bind_stats(stmt, 10, ticket);
}

bool same_row(const Ticket& a, const Ticket& b) {
  return a.type == b.type && a.state == b.state && a.holder == b.holder &&
         a.next_due_ms == b.next_due_ms && a.closed == b.closed &&
         a.assignee_kind == b.assignee_kind && a.assignee == b.assignee && a.holders == b.holders &&
         same_stats(a, b);
}

const std::string_view kInsertClock =
    "INSERT INTO clocks (ticket_id, position, name, period_amount, period_unit, started_ms, "
    "due_ms, "
    "stopped_ms, paused_at_ms, pauses, extension_days, policy, article, provisional) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";

void bind_clock(sql::Stmt& stmt, std::string_view ticket_id, int position,
                const policies::Clock& clock) {
  stmt.bind(1, ticket_id)
      .bind(2, std::int64_t{position})
      .bind(3, clock.name)
      .bind(4, clock.period.amount)
      .bind(5, policies::unit_name(clock.period.unit))
      .bind(6, clock.started_ms)
      .bind(7, clock.due_ms)
      .bind(8, clock.stopped_ms)
      .bind(9, clock.paused_at_ms)
      .bind(10, pauses_text(clock.pauses))
      .bind(11, std::int64_t{clock.extension_days})
      .bind(12, clock.policy)
      .bind(13, clock.article)
      .bind(14, std::int64_t{clock.provisional});
}

Result<std::vector<Ticket>> tickets(sql::Db& db, std::string_view where, std::string_view order_by,
                                    std::string_view limit,
                                    const std::function<void(sql::Stmt&)>& bind) {
  auto stmt = db.prepare(select_tickets(where, order_by, limit));
  if (!stmt) return stmt.error();
  auto clocks = db.prepare(kSelectClocks);
  if (!clocks) return clocks.error();
  bind(*stmt);
  std::vector<Ticket> out;
  while (true) {
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return out;
    auto found = read_ticket(*stmt);
    if (!found) return found.error();
    clocks->bind(1, found->id);
    while (true) {
      auto clock_row = clocks->step();
      if (!clock_row) return clock_row.error();
      if (!*clock_row) break;
      auto clock = read_clock(*clocks);
      if (!clock) return clock.error();
      found->clocks.push_back(std::move(*clock));
    }
    clocks->reset();
    out.push_back(std::move(*found));
  }
}

Result<std::optional<Ticket>> ticket(sql::Db& db, std::string_view ticket_id) {
  auto found =
      tickets(db, "t.ticket_id = ?1", "", "", [&](sql::Stmt& stmt) { stmt.bind(1, ticket_id); });
  if (!found) return found.error();
  if (found->empty()) return std::optional<Ticket>();
  return std::optional<Ticket>(std::move(found->front()));
}

Result<std::optional<SignedEvent>> event(sql::Db& db, std::string_view ticket_id,
                                         std::uint64_t seq) {
  auto found = events(db, ticket_id, seq, 1);
  if (!found) return found.error();
  if (found->empty() || found->front().seq() != seq) return std::optional<SignedEvent>();
  return std::optional<SignedEvent>(std::move(found->front()));
}

Result<std::vector<SignedEvent>> events(sql::Db& db, std::string_view ticket_id,
                                        std::uint64_t from_seq, std::size_t limit) {
  auto stmt = db.prepare(
      "SELECT ticket_id, seq, body, signature, signer FROM events "
      "WHERE ticket_id = ?1 AND seq >= ?2 ORDER BY seq LIMIT ?3");
  if (!stmt) return stmt.error();
  stmt->bind(1, ticket_id).bind(2, to_sql(from_seq)).bind(3, static_cast<std::int64_t>(limit));
  std::vector<SignedEvent> out;
  while (true) {
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return out;
    auto decoded = read_event(*stmt);
    if (!decoded) return decoded.error();
    out.push_back(std::move(*decoded));
  }
}

Status scan(sql::Db& db, RecordType type, const std::function<Status(const Record&)>& visit) {
  switch (type) {
    case RecordType::certificate:
      return scan_query(db,
                        "SELECT node_id, serial, issuer, body, signature FROM certificates "
                        "ORDER BY level, node_id, serial, certificate_id",
                        type, visit);
    case RecordType::revocation:
      return scan_query(db,
                        "SELECT node_id, serial, issuer, body, signature FROM revocations "
                        "ORDER BY node_id, serial, issuer, revocation_id",
                        type, visit);
    case RecordType::event:
      return scan_query(db,
                        "SELECT ticket_id, seq, signer, body, signature FROM events "
                        "ORDER BY ticket_id, seq",
                        type, visit);
  }
  return {};
}

Status scan(sql::Db& db, const std::function<Status(const Record&)>& visit) {
  for (RecordType type : {RecordType::certificate, RecordType::revocation, RecordType::event}) {
    if (Status ok = scan(db, type, visit); !ok) return ok;
  }
  return {};
}

}  // namespace wq::sync::rows

// Store: the node's SQLite database — node certificates and revocations, the signed event log of
// every ticket it holds or watches, the ticket projection (state, holder, clocks) and the
// quarantine of equivocating events.
//
// Durability: WAL journal with synchronous=FULL, so a transaction is on disk when a call returns
// and only then may anyone ack it. The schema is migrated on open (PRAGMA user_version, one
// transaction per migration); foreign keys are on.
//
// Applying an event (Store::apply, apply_batch) happens in one transaction and checks, before
// writing anything: the author's certificate chain at the event's own time (crypto::TrustStore) and
// the signature; chain continuity (seq = last + 1, prev_hash = id of the last event); the single
// writer rule (after `submitted`, only the ticket's current holder may author events: the holder is
// the author of `submitted`, then the to-node of `routed` / `transferred` / `assigned` to a
// station); the lifecycle rules (policies::Lifecycle with the actor's role and the author's level);
// and the deadline clocks (policies::ClockBook under the policy document named by the ticket's rule
// version). Then it stores the event and updates the projection. A rejected event changes nothing.
// The same bytes at an existing (ticket, seq) are a no-op (ApplyOutcome::duplicate); different,
// validly signed bytes there are equivocation: kept in the quarantine table
// (ApplyOutcome::quarantined), never applied.
//
// Statistics (stats.h, docs/kpi.md): writing a ticket's row also moves the ticket's one
// contribution to the counter tables, in the same transaction or savepoint, so the counters are
// exactly those the event log gives (check_stats, rebuild_stats).
//
// The outbox (transactional outbox of replication, DESIGN §5) holds one row per event this node
// still owes a peer: EventWriter adds rows in the transaction that applies the event, the
// replicator reads them in send order and removes them when the peer acks.
//
// Threads: a Store owns the one writer connection; it is not synchronised and must be used by one
// thread at a time (the writer strand). Readers open their own StoreReader on the same file, one
// per thread; a StoreReader is likewise used by one thread at a time. Store::reader() reads through
// the writer connection and is for the writer's own thread.
//
// Failure codes: sync.db (SQLite error), sync.schema_version (database newer than this code),
// sync.corrupt (stored bytes no longer decode), sync.bad_signature, sync.seq_gap (events before
// this one are missing: backfill), sync.chain_broken, sync.not_holder, sync.unknown_policy;
// crypto.* from the certificate chain and policies.* from the lifecycle and clock rules pass
// through unchanged.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "weiquan/crypto/certificate.h"
#include "weiquan/policies/clocks.h"
#include "weiquan/policies/types.h"
#include "weiquan/result.h"
#include "weiquan/sync/event_codec.h"
#include "weiquan/sync/record.h"
#include "weiquan/sync/stats.h"

namespace wq::sync {

// The schema version this code writes; older databases are migrated on open.
std::uint32_t latest_schema_version();

struct StoreOptions {
  std::filesystem::path path;      // the database file; created when missing
  crypto::PublicKey anchor_key{};  // the national trust anchor
  std::string anchor_id = "cn";
  int busy_timeout_ms = 5000;
  std::size_t clock_cache_tickets = 4096;  // tickets whose clock books stay in memory
  std::function<std::int64_t()> now_ms;    // wall clock for applied_at; system clock when empty
};

// The projection of one ticket's chain.
struct Ticket {
  std::string id;
  policies::TicketType type = policies::TicketType::complaint;
  std::string state;
  std::string holder;  // node id of the node that may append now
  // Every node that has held the ticket, in order of first holding: the intake node, then each
  // new to-node of `routed`, `transferred` and `assigned` to a station. A store written before
  // schema version 3 knows only the intake node and the holder of its tickets then.
  std::vector<std::string> holders;
  std::string intake_node;  // author of `submitted`
  weiquan::v1::Channel channel = weiquan::v1::CHANNEL_UNSPECIFIED;
  std::string jurisdiction_region;
  std::string rule_version;  // policy document in force on the receipt date
  std::int64_t received_at_ms = 0;
  std::int64_t updated_ms = 0;  // time_ms of the last event
  std::uint64_t last_seq = 0;
  EventId head{};                // id of the last event
  std::int64_t next_due_ms = 0;  // earliest due time of a running clock, 0 if none
  bool closed = false;           // lifecycle state is terminal
  bool consent_disclosure = false;
  bool consent_mediation = false;
  bool anonymous = false;  // an anonymous report
  // From `submitted`: the consumer's account id when a consumer filed it online ("" when staff or
  // the node filed it), the business complained about and the category of goods or services.
  std::string submitter;
  std::string business_uscc;
  std::string business_name;
  std::string category;
  // Who handles the ticket now, from the last `assigned`: assignee_kind is "station", "officer",
  // "enterprise" or "association" and assignee the node id, account id or USCC it names; both ""
  // when nobody was assigned since the ticket last moved between offices (`routed`,
  // `transferred`). A store written before schema version 2 has these six fields empty for the
  // tickets it held then, until their next `assigned`.
  std::string assignee_kind;
  std::string assignee;
  // What the statistics count (docs/kpi.md), derived from the chain; times are the clock times of
  // the events (projection.h). A store written before schema version 4 derives them once, from
  // the events, when it is migrated.
  std::int64_t accepted_at_ms = 0;  // the first `accepted`
  std::int64_t closed_at_ms = 0;    // when the ticket last became terminal; 0 while it is open
  bool closed_on_time = false;      // no clock had stopped after its due time at closed_at_ms
  bool late = false;                // some clock of the ticket has stopped after its due time
  std::string close_result;         // Closed.result of the last `closed`
  std::int64_t amount_recovered_fen = 0;  // of the last `closed`
  std::uint32_t dispatch_count = 0;       // `routed` and `transferred` events
  // The first reply to a complaint's consumer or a reporter (`initial_feedback`, `accepted`,
  // `refused`, `converted_to_case` or `closed`), and whether it came by the due time of the first
  // clock the office started.
  std::int64_t first_reply_ms = 0;
  bool first_reply_on_time = false;
  bool converted_to_case = false;   // a `converted_to_case` was written
  bool enterprise_handled = false;  // `assigned` to an enterprise at least once
  bool self_settled = false;        // an agreement was recorded while with the enterprise
  int mediation = 0;                // last `mediation_result`: 0 none, 1 no agreement, 2 agreement
  int satisfaction = 0;             // last `visited`: a weiquan::v1::Satisfaction value
  std::vector<policies::Clock> clocks;
};

enum class TicketOrder {
  by_id,   // ticket ids ascending; page with after_id
  by_due,  // running clocks first, earliest next_due_ms first, then the rest; ties by id; page
           // with offset
};

// Every condition set must hold. Results are bounded: at most kMaxTicketQueryLimit tickets
// whatever `limit` asks.
struct TicketQuery {
  std::optional<std::string> state;
  std::optional<std::string> holder;
  std::optional<std::int64_t> due_before_ms;  // next_due_ms in (0, due_before_ms)
  std::optional<bool> closed;
  std::optional<std::string> submitter;
  std::optional<std::string> assignee_kind;
  std::optional<std::string> assignee;  // best with assignee_kind (an index lookup then)
  std::optional<policies::TicketType> type;
  TicketOrder order = TicketOrder::by_id;
  std::string after_id;    // by_id: the page after this ticket id (ignored by by_due)
  std::size_t offset = 0;  // tickets of the order to skip first
  std::size_t limit = 100;
};

inline constexpr std::size_t kMaxTicketQueryLimit = 1000;

struct QuarantinedEvent {
  Record record;          // the equivocating bytes as received
  EventId existing_id{};  // id of the event already stored at (ticket, seq)
  std::int64_t detected_at_ms = 0;
};

enum class ApplyOutcome { applied, duplicate, quarantined };

// One event owed to a peer: (ticket_id, seq) is still to be delivered to node `peer`.
struct OutboxEntry {
  std::string peer;
  std::string ticket_id;
  std::uint64_t seq = 0;
  std::int64_t enqueued_at_ms = 0;
};

// An outbox row and the stored bytes of its event, as they travel; no event when the store does not
// hold it.
struct OutboxItem {
  OutboxEntry entry;
  std::optional<Record> event;
};

struct OutboxBacklog {
  std::string peer;
  std::uint64_t rows = 0;
};

class StoreReader {
 public:
  // A read-only connection to a database the writer has already created and migrated.
  static Result<StoreReader> open(const std::filesystem::path& path, int busy_timeout_ms = 5000);
  StoreReader(StoreReader&&) noexcept;
  StoreReader& operator=(StoreReader&&) noexcept;
  ~StoreReader();

  Result<std::optional<Ticket>> ticket(std::string_view ticket_id) const;
  // The tickets matching `query`, in its order (at most kMaxTicketQueryLimit), with their clocks.
  Result<std::vector<Ticket>> tickets(const TicketQuery& query) const;
  // How many tickets match `query`'s conditions (order, offset and limit do not count).
  Result<std::uint64_t> count(const TicketQuery& query) const;

  Result<std::optional<SignedEvent>> event(std::string_view ticket_id, std::uint64_t seq) const;
  // Events of one ticket with seq >= from_seq, in order, at most `limit`.
  Result<std::vector<SignedEvent>> events(std::string_view ticket_id, std::uint64_t from_seq = 1,
                                          std::size_t limit = 10'000) const;

  Result<std::vector<crypto::SignedCertificate>> certificates() const;
  Result<std::vector<crypto::SignedRevocation>> revocations() const;
  Result<std::vector<QuarantinedEvent>> quarantine() const;

  // The first `limit` events owed to `peer` with their stored bytes, in one query, in send order:
  // enqueued_at_ms, then ticket id, then seq (so one ticket's events enqueued together go in chain
  // order).
  Result<std::vector<OutboxItem>> outbox(std::string_view peer, std::size_t limit) const;
  // How many events are owed to each peer that is owed any, by peer id. Counts the outbox table:
  // for readers on their own connection; the writer keeps these figures (Store::outbox_backlog).
  Result<std::vector<OutboxBacklog>> outbox_backlog() const;

  // The counter cells of `query.region`'s subtree over its days, summed per group, with the live
  // overdue and due-soon counts of its open tickets and the hot spots (stats.h).
  Result<StatsTable> stats(const StatsQuery& query) const;
  // The ids of the tickets `stats` counts for `query`'s region and days (received on those China
  // dates, held in the region's subtree), ascending by their bytes; `by`, `now_ms` and `top` are
  // ignored. Period reports hash them (protocol.md §16). Failure codes as stats'.
  Result<std::vector<std::string>> counted_ticket_ids(const StatsQuery& query) const;
  // Rebuilds the counters from the event log into temporary tables of this connection and returns
  // every cell that differs from the stored ones (none: the counters are exact; at most 1,000).
  Result<std::vector<StatsDifference>> check_stats(const StatsProgress& progress = {}) const;

  // Every stored record as raw bytes, in export order: certificates (by level, node id, serial),
  // revocations, then events by ticket id and seq. Stops at the first error `visit` returns.
  Status scan(const std::function<Status(const Record&)>& visit) const;

  struct Impl;

 private:
  friend class Store;
  explicit StoreReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

class Store {
 public:
  // Opens (creating and migrating when needed) the database and loads its certificates into the
  // trust store.
  static Result<Store> open(StoreOptions options);
  Store(Store&&) noexcept;
  Store& operator=(Store&&) noexcept;
  ~Store();

  const StoreReader& reader() const;
  const crypto::TrustStore& trust() const;

  // Adds a certificate or revocation after the trust store accepts it; identical bytes again are a
  // no-op.
  Status add_certificate(const crypto::SignedCertificate& cert);
  Status add_revocation(const crypto::SignedRevocation& revocation);

  // Verifies and applies one event received from anywhere, in its own transaction.
  Result<ApplyOutcome> apply(const SignedEvent& event);

  // Applies events in order in ONE transaction (one fsync). The outer error means the database
  // failed and nothing was committed; otherwise each event has its own result, a rejected event
  // changes nothing and later events of the batch see the earlier ones.
  Result<std::vector<Result<ApplyOutcome>>> apply_batch(std::span<const SignedEvent> events);

  // Adds outbox rows in one transaction; a row already there for the same (peer, ticket, seq) is
  // kept as it is.
  Status enqueue(std::span<const OutboxEntry> entries);
  // Removes the outbox rows of these (peer, ticket, seq) in one transaction (enqueued_at_ms is
  // ignored); rows that are not there are no error.
  Status dequeue(std::span<const OutboxEntry> entries);
  // StoreReader::outbox_backlog as of the last commit, kept in memory in step with every change to
  // the outbox (counted once at open), so asking costs nothing.
  std::vector<OutboxBacklog> outbox_backlog() const;

  // Recomputes the statistics from the event log — each ticket's stored events replayed through
  // the projection — and replaces both counter tables (and the statistics columns of tickets that
  // differ) in one transaction. Returns how many tickets it counted.
  Result<std::size_t> rebuild_stats(const StatsProgress& progress = {});

  struct Impl;

 private:
  friend class EventWriter;
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace wq::sync

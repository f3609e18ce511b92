#include "schema.h"

#include <array>
#include <string>
#include <string_view>

#include "weiquan/sync/store.h"

namespace wq::sync {
namespace {

// Append only: a released migration is never edited.
// A ticket's row changes only when its projection does (state, holder, type, clocks); the head of
// its chain (last seq, last event id, its time) is read from the events table.
constexpr std::array<std::string_view, 5> kMigrations = {
    // 1: certificates, events, ticket projection with clocks, quarantine, ticket serials.
    R"sql(
CREATE TABLE certificates (
  certificate_id BLOB PRIMARY KEY,
  node_id TEXT NOT NULL,
  serial INTEGER NOT NULL,
  issuer TEXT NOT NULL,
  level INTEGER NOT NULL,
  body BLOB NOT NULL,
  signature BLOB NOT NULL,
  added_at_ms INTEGER NOT NULL
) STRICT;
CREATE INDEX certificates_by_node ON certificates (level, node_id, serial);

CREATE TABLE revocations (
  revocation_id BLOB PRIMARY KEY,
  node_id TEXT NOT NULL,
  serial INTEGER NOT NULL,
  issuer TEXT NOT NULL,
  body BLOB NOT NULL,
  signature BLOB NOT NULL,
  added_at_ms INTEGER NOT NULL
) STRICT;

CREATE TABLE tickets (
  ticket_id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  state TEXT NOT NULL,
  holder TEXT NOT NULL,
  intake_node TEXT NOT NULL,
  channel INTEGER NOT NULL,
  jurisdiction_region TEXT NOT NULL,
  rule_version TEXT NOT NULL,
  received_at_ms INTEGER NOT NULL,
  next_due_ms INTEGER NOT NULL,
  closed INTEGER NOT NULL,
  consent_disclosure INTEGER NOT NULL,
  consent_mediation INTEGER NOT NULL,
  anonymous INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX tickets_by_state ON tickets (state, ticket_id);
CREATE INDEX tickets_by_holder ON tickets (holder, ticket_id);
CREATE INDEX tickets_by_due ON tickets (next_due_ms) WHERE next_due_ms > 0;

CREATE TABLE events (
  ticket_id TEXT NOT NULL REFERENCES tickets (ticket_id),
  seq INTEGER NOT NULL,
  event_id BLOB NOT NULL,
  kind TEXT NOT NULL,
  body BLOB NOT NULL,
  signature BLOB NOT NULL,
  signer TEXT NOT NULL,
  time_ms INTEGER NOT NULL,
  applied_at_ms INTEGER NOT NULL,
  PRIMARY KEY (ticket_id, seq)
) STRICT;

CREATE TABLE clocks (
  ticket_id TEXT NOT NULL REFERENCES tickets (ticket_id),
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  period_amount INTEGER NOT NULL,
  period_unit TEXT NOT NULL,
  started_ms INTEGER NOT NULL,
  due_ms INTEGER NOT NULL,
  stopped_ms INTEGER NOT NULL,
  paused_at_ms INTEGER NOT NULL,
  pauses TEXT NOT NULL,
  extension_days INTEGER NOT NULL,
  policy TEXT NOT NULL,
  article TEXT NOT NULL,
  provisional INTEGER NOT NULL,
  PRIMARY KEY (ticket_id, position)
) STRICT, WITHOUT ROWID;

CREATE TABLE quarantine (
  ticket_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  event_id BLOB NOT NULL,
  existing_id BLOB NOT NULL,
  body BLOB NOT NULL,
  signature BLOB NOT NULL,
  signer TEXT NOT NULL,
  detected_at_ms INTEGER NOT NULL,
  PRIMARY KEY (ticket_id, seq, event_id)
) STRICT;

CREATE TABLE ticket_serials (
  intake_node TEXT NOT NULL,
  date INTEGER NOT NULL,
  last_serial INTEGER NOT NULL,
  PRIMARY KEY (intake_node, date)
) STRICT, WITHOUT ROWID;
)sql",
    // 2: who filed the ticket, against which business, and who handles it now. Tickets stored
    // before this migration keep '' in the new columns (no production data predates it).
    R"sql(
ALTER TABLE tickets ADD COLUMN submitter TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN business_uscc TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN business_name TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN category TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN assignee_kind TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN assignee TEXT NOT NULL DEFAULT '';
CREATE INDEX tickets_by_submitter ON tickets (submitter, ticket_id);
CREATE INDEX tickets_by_assignee ON tickets (assignee_kind, assignee, ticket_id);
)sql",
    // 3: every node that has held a ticket (space-separated, in order of first holding), and the
    // transactional outbox of replication: one row per event still owed to a peer. A ticket
    // stored before this migration gets its intake node and its current holder; the nodes that
    // held it in between are not recovered.
    R"sql(
ALTER TABLE tickets ADD COLUMN holders TEXT NOT NULL DEFAULT '';
UPDATE tickets SET holders = CASE WHEN holder = intake_node THEN intake_node
                                  ELSE intake_node || ' ' || holder END;

CREATE TABLE outbox (
  peer TEXT NOT NULL,
  ticket_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  enqueued_at_ms INTEGER NOT NULL,
  PRIMARY KEY (peer, ticket_id, seq)
) STRICT, WITHOUT ROWID;
CREATE INDEX outbox_in_order ON outbox (peer, enqueued_at_ms, ticket_id, seq);
)sql",
    // 4: statistics (docs/kpi.md). What each ticket's chain says about it for the KPIs, and the
    // counters: every ticket adds its measures to one cell of stats_cells and, when it names a
    // business, one of stats_businesses, kept in the transaction that applies its events. Cells
    // are read by day, then region prefix. Tickets stored before this migration get their columns
    // and cells from their events when the store is next opened (stats_pending).
    R"sql(
ALTER TABLE tickets ADD COLUMN accepted_at_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN closed_at_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN closed_on_time INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN late INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN close_result TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN amount_recovered_fen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN dispatch_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN first_reply_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN first_reply_on_time INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN converted_to_case INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN enterprise_handled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN self_settled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN mediation INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN satisfaction INTEGER NOT NULL DEFAULT 0;
CREATE INDEX tickets_due_by_holder ON tickets (holder, next_due_ms) WHERE next_due_ms > 0;

CREATE TABLE stats_cells (
  day INTEGER NOT NULL,
  region TEXT NOT NULL,
  type TEXT NOT NULL,
  category TEXT NOT NULL,
  channel INTEGER NOT NULL,
  state TEXT NOT NULL,
  tickets INTEGER NOT NULL,
  accepted INTEGER NOT NULL,
  refused INTEGER NOT NULL,
  merged INTEGER NOT NULL,
  closed INTEGER NOT NULL,
  closed_on_time INTEGER NOT NULL,
  first_reply INTEGER NOT NULL,
  first_reply_on_time INTEGER NOT NULL,
  converted_to_case INTEGER NOT NULL,
  dispatched INTEGER NOT NULL,
  dispatched_repeatedly INTEGER NOT NULL,
  visited INTEGER NOT NULL,
  satisfied INTEGER NOT NULL,
  amount_recovered_fen INTEGER NOT NULL,
  enterprise_handled INTEGER NOT NULL,
  self_settled INTEGER NOT NULL,
  mediated INTEGER NOT NULL,
  mediation_agreed INTEGER NOT NULL,
  PRIMARY KEY (day, region, type, category, channel, state)
) STRICT, WITHOUT ROWID;

CREATE TABLE stats_businesses (
  day INTEGER NOT NULL,
  region TEXT NOT NULL,
  business_uscc TEXT NOT NULL,
  business_name TEXT NOT NULL,
  tickets INTEGER NOT NULL,
  closed INTEGER NOT NULL,
  closed_disclosable INTEGER NOT NULL,
  mediated INTEGER NOT NULL,
  mediation_agreed INTEGER NOT NULL,
  self_settled INTEGER NOT NULL,
  PRIMARY KEY (day, region, business_uscc)
) STRICT, WITHOUT ROWID;

CREATE TABLE stats_pending (reason TEXT NOT NULL) STRICT;
INSERT INTO stats_pending SELECT 'migration 4' WHERE EXISTS (SELECT 1 FROM tickets);
)sql",
    // 5: the monthly rollup of the counters (stats_cells.h): a cell per month, city, type,
    // category and channel, read by a query for the whole months of a province or the nation; and
    // the business figures the public disclosure needs limited to the consented closed tickets.
    // The counters are rebuilt from the events when the store is next opened (stats_pending).
    R"sql(
CREATE TABLE stats_months (
  month INTEGER NOT NULL,
  region TEXT NOT NULL,
  type TEXT NOT NULL,
  category TEXT NOT NULL,
  channel INTEGER NOT NULL,
  tickets INTEGER NOT NULL,
  accepted INTEGER NOT NULL,
  refused INTEGER NOT NULL,
  merged INTEGER NOT NULL,
  closed INTEGER NOT NULL,
  closed_on_time INTEGER NOT NULL,
  first_reply INTEGER NOT NULL,
  first_reply_on_time INTEGER NOT NULL,
  converted_to_case INTEGER NOT NULL,
  dispatched INTEGER NOT NULL,
  dispatched_repeatedly INTEGER NOT NULL,
  visited INTEGER NOT NULL,
  satisfied INTEGER NOT NULL,
  amount_recovered_fen INTEGER NOT NULL,
  enterprise_handled INTEGER NOT NULL,
  self_settled INTEGER NOT NULL,
  mediated INTEGER NOT NULL,
  mediation_agreed INTEGER NOT NULL,
  PRIMARY KEY (month, region, type, category, channel)
) STRICT, WITHOUT ROWID;

ALTER TABLE stats_businesses ADD COLUMN enterprise_handled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stats_businesses ADD COLUMN disclosable_mediated INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stats_businesses ADD COLUMN disclosable_mediation_agreed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stats_businesses ADD COLUMN disclosable_enterprise_handled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stats_businesses ADD COLUMN disclosable_self_settled INTEGER NOT NULL DEFAULT 0;

INSERT INTO stats_pending SELECT 'migration 5' WHERE EXISTS (SELECT 1 FROM tickets);
)sql",
};

}  // namespace

std::uint32_t latest_schema_version() {
  return static_cast<std::uint32_t>(kMigrations.size());
}

Status migrate(sql::Db& db) {
  return sql::migrate(db, kMigrations, "store");
}

Status check_schema_version(sql::Db& db) {
  return sql::check_schema_version(db, static_cast<std::int64_t>(kMigrations.size()), "store");
}

}  // namespace wq::sync

// DuplicateIndex: finds the likely twin of a new ticket — the same consumer, about the same
// business and the same matter, within a window of days, whatever channel each came by (a
// consumer who files online and then calls the hotline). Staff see the twins on the ticket and
// merge it or keep both.
//
// "The same consumer" is the keyed hash of their phone number (Accounts::consumer_key), so the
// index holds no personal data; anonymous tickets have no consumer and never have twins. "The same
// business" is its USCC, or the name as filed when it has none. "The same matter" is the same
// ticket type and the same category of goods or services.
//
// The index lives in the office database (table intake_keys), written after the tickets' events
// are committed, a whole intake batch in one transaction: a crash in between loses only a hint,
// never a ticket.
//
// Thread safety: every member may be called from any thread (OfficeDb serialises).
// Failure codes: sync.db.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "weiquan/node/office_db.h"
#include "weiquan/policies/types.h"

namespace wq::node {

struct DuplicateKey {
  std::string consumer;  // keyed phone hash; empty: anonymous, never a twin
  std::string business;  // USCC, or "name:" + name as filed
  std::string matter;    // category of goods or services
  policies::TicketType type = policies::TicketType::complaint;
  std::int64_t received_at_ms = 0;
};

// Default window: 30 days either side of the new ticket's receipt.
inline constexpr std::int64_t kDuplicateWindowMs = 30LL * 24 * 60 * 60 * 1000;

class DuplicateIndex {
 public:
  explicit DuplicateIndex(OfficeDb& db, std::int64_t window_ms = kDuplicateWindowMs)
      : db_(&db), window_ms_(window_ms) {}

  struct Filing {
    std::string ticket_id;
    DuplicateKey key;
  };

  // Records new tickets in one transaction and returns, for each, the tickets recorded before it
  // (in earlier calls or earlier in `filings`) with the same key within the window: oldest first,
  // at most 10.
  Result<std::vector<std::vector<std::string>>> record(std::span<const Filing> filings);

  // The twins of a recorded ticket, before or after it (empty when it was never recorded).
  Result<std::vector<std::string>> twins_of(std::string_view ticket_id);

 private:
  OfficeDb* db_;
  std::int64_t window_ms_;
};

}  // namespace wq::node

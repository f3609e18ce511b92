// Deadline alerts (GET /api/v1/alerts, docs/api.md): the open tickets whose next deadline has
// passed (overdue) or falls within kDueSoonMs (due soon, ticket_view.h — the same window as a
// ticket's `due_soon` flag), sorted by that due time, held
//   - own: by this node;
//   - children: by an office whose certificate this node issued — so an alert reaches the holder
//     (own) and its parent (children), DESIGN §7;
//   - subtree: by this node or any office whose region lies inside this node's region. A
//     certificate's region always lies inside its issuer's (crypto.region_mismatch), so this is the
//     subtree by certificate chain too, and an office whose certificate has lapsed still counts.
//
// Cost: index lookups, never a scan of the store. `own` and `children` read the tickets_by_holder
// index once per holder (for `children`, the first offset + limit of each child, merged);
// `subtree` walks the tickets_by_due index in due order and keeps the tickets held in the subtree,
// reading at most kMaxAlertScan rows (`partial` says it stopped there). Due-soon tickets follow the
// overdue ones in due order: their count (an index count) is skipped.
//
// Thread safety: a pure function of its arguments; the reader is used by the calling thread.
// Failure codes: node.bad_query (offset + limit above kMaxAlertDepth), sync.* of the reader.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "weiquan/crypto/certificate.h"
#include "weiquan/sync/store.h"

namespace wq::node::http {

enum class AlertScope { own, children, subtree };
enum class AlertKind { overdue, due_soon };

inline constexpr std::size_t kMaxAlertDepth = 1000;  // offset + limit
inline constexpr std::size_t kMaxAlertScan = 10 * sync::kMaxTicketQueryLimit;

struct AlertQuery {
  AlertScope scope = AlertScope::own;
  AlertKind kind = AlertKind::overdue;
  std::size_t offset = 0;
  std::size_t limit = 50;
  std::int64_t now_ms = 0;
};

struct AlertPage {
  std::vector<sync::Ticket> tickets;  // with their clocks, by next_due_ms then id
  bool partial = false;               // subtree: the scan stopped at kMaxAlertScan rows
};

// `self` is this node's id; `trust` lists the certificates it issued (scope children).
Result<AlertPage> alerts(const sync::StoreReader& reader, const crypto::TrustStore& trust,
                         const std::string& self, const AlertQuery& query);

}  // namespace wq::node::http

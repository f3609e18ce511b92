#include "alerts.h"

#include <algorithm>
#include <iterator>
#include <optional>
#include <set>
#include <string>

#include "ticket_view.h"

namespace wq::node::http {
namespace {

bool by_due(const sync::Ticket& a, const sync::Ticket& b) {
  return a.next_due_ms != b.next_due_ms ? a.next_due_ms < b.next_due_ms : a.id < b.id;
}

// Open tickets with a running clock due before `until`, in due order; `holder` when set.
sync::TicketQuery due_query(std::optional<std::string> holder, std::int64_t until) {
  sync::TicketQuery query;
  query.holder = std::move(holder);
  query.closed = false;
  query.due_before_ms = until;
  query.order = sync::TicketOrder::by_due;
  return query;
}

// The query for the alert kind, positioned after the overdue tickets when it is due_soon.
Result<sync::TicketQuery> kind_query(const sync::StoreReader& reader,
                                     std::optional<std::string> holder, const AlertQuery& asked) {
  if (asked.kind == AlertKind::overdue) return due_query(std::move(holder), asked.now_ms);
  auto overdue = reader.count(due_query(holder, asked.now_ms));
  if (!overdue) return overdue.error();
  sync::TicketQuery query = due_query(std::move(holder), asked.now_ms + kDueSoonMs);
  query.offset = static_cast<std::size_t>(*overdue);
  return query;
}

// The offices whose certificate `self` issued.
std::set<std::string> children_of(const crypto::TrustStore& trust, const std::string& self) {
  std::set<std::string> children;
  for (const crypto::SignedCertificate* cert : trust.certificates()) {
    if (cert->cert.issuer == self && cert->cert.node_id != self) {
      children.insert(cert->cert.node_id);
    }
  }
  return children;
}

Result<AlertPage> own(const sync::StoreReader& reader, const std::string& self,
                      const AlertQuery& asked) {
  auto query = kind_query(reader, self, asked);
  if (!query) return query.error();
  query->offset += asked.offset;
  query->limit = asked.limit;
  auto tickets = reader.tickets(*query);
  if (!tickets) return tickets.error();
  return AlertPage{std::move(*tickets), false};
}

Result<AlertPage> children(const sync::StoreReader& reader, const crypto::TrustStore& trust,
                           const std::string& self, const AlertQuery& asked) {
  std::vector<sync::Ticket> merged;
  for (const std::string& child : children_of(trust, self)) {
    auto query = kind_query(reader, child, asked);
    if (!query) return query.error();
    query->limit = asked.offset + asked.limit;
    auto tickets = reader.tickets(*query);
    if (!tickets) return tickets.error();
    std::move(tickets->begin(), tickets->end(), std::back_inserter(merged));
  }
  std::sort(merged.begin(), merged.end(), by_due);
  AlertPage page;
  for (std::size_t i = asked.offset; i < merged.size() && page.tickets.size() < asked.limit; ++i) {
    page.tickets.push_back(std::move(merged[i]));
  }
  return page;
}

Result<AlertPage> subtree(const sync::StoreReader& reader, const std::string& self,
                          const AlertQuery& asked) {
  auto query = kind_query(reader, std::nullopt, asked);
  if (!query) return query.error();
  query->limit = sync::kMaxTicketQueryLimit;
  AlertPage page;
  std::size_t matched = 0;
  for (std::size_t scanned = 0; scanned < kMaxAlertScan; scanned += query->limit) {
    auto tickets = reader.tickets(*query);
    if (!tickets) return tickets.error();
    for (sync::Ticket& ticket : *tickets) {
      if (!crypto::region_contains(self, ticket.holder)) continue;
      if (matched++ < asked.offset) continue;
      page.tickets.push_back(std::move(ticket));
      if (page.tickets.size() == asked.limit) return page;
    }
    if (tickets->size() < query->limit) return page;  // the end of the index range
    query->offset += query->limit;
  }
  page.partial = true;
  return page;
}

}  // namespace

Result<AlertPage> alerts(const sync::StoreReader& reader, const crypto::TrustStore& trust,
                         const std::string& self, const AlertQuery& query) {
  if (query.offset + query.limit > kMaxAlertDepth) {
    return make_error("node.bad_query", "offset + limit may be at most " +
                                            std::to_string(kMaxAlertDepth) +
                                            ": act on the first alerts, or narrow the scope");
  }
  switch (query.scope) {
    case AlertScope::own:
      return own(reader, self, query);
    case AlertScope::children:
      return children(reader, trust, self, query);
    case AlertScope::subtree:
      return subtree(reader, self, query);
  }
  return make_error("node.bad_query", "unknown scope");
}

}  // namespace wq::node::http

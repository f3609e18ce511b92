#include "alert_routes.h"

#include <charconv>
#include <nlohmann/json.hpp>

#include "alerts.h"
#include "api_errors.h"
#include "auth.h"
#include "query_params.h"
#include "ticket_view.h"
#include "weiquan/policies/validation.h"

namespace wq::node::http {
namespace {

using nlohmann::json;

constexpr std::size_t kDefaultLimit = 50;
constexpr std::size_t kMaxLimit = 500;

Result<std::size_t> number(const QueryParams& params, std::string_view name, std::size_t fallback,
                           std::size_t max) {
  const auto it = params.find(name);
  if (it == params.end()) return fallback;
  std::size_t value = 0;
  const auto [end, ec] =
      std::from_chars(it->second.data(), it->second.data() + it->second.size(), value);
  if (ec != std::errc() || end != it->second.data() + it->second.size() || value > max) {
    return make_error("node.bad_query",
                      std::string(name) + " must be a number up to " + std::to_string(max));
  }
  return value;
}

Result<AlertQuery> alert_query(const QueryParams& params, std::int64_t now_ms) {
  AlertQuery query;
  query.now_ms = now_ms;
  for (const auto& [name, value] : params) {
    if (name == "scope") {
      if (value == "own") {
        query.scope = AlertScope::own;
      } else if (value == "children") {
        query.scope = AlertScope::children;
      } else if (value == "subtree") {
        query.scope = AlertScope::subtree;
      } else {
        return make_error("node.bad_query", "scope: own, children or subtree");
      }
    } else if (name == "kind") {
      if (value == "overdue") {
        query.kind = AlertKind::overdue;
      } else if (value == "due_soon") {
        query.kind = AlertKind::due_soon;
      } else {
        return make_error("node.bad_query", "kind: overdue or due_soon");
      }
    } else if (name != "limit" && name != "offset") {
      return make_error("node.bad_query",
                        "unknown query parameter " + name + " (scope, kind, limit, offset)");
    }
  }
  auto limit = number(params, "limit", kDefaultLimit, kMaxLimit);
  if (!limit) return limit.error();
  auto offset = number(params, "offset", 0, kMaxAlertDepth);
  if (!offset) return offset.error();
  query.limit = *limit;
  query.offset = *offset;
  return query;
}

// The clock that sets the ticket's next due time.
const policies::Clock* next_clock(const sync::Ticket& ticket) {
  for (const policies::Clock& clock : ticket.clocks) {
    if (clock.running() && !clock.paused() && clock.due_ms == ticket.next_due_ms) return &clock;
  }
  return nullptr;
}

json alert_json(const sync::Ticket& ticket, std::int64_t now_ms) {
  const policies::Clock* clock = next_clock(ticket);
  return {{"ticket_id", ticket.id},
          {"holder", ticket.holder},
          {"type", policies::type_name(ticket.type)},
          {"state", ticket.state},
          {"clock", clock != nullptr ? json(clock->name) : json(nullptr)},
          {"article", clock != nullptr ? json(clock->article) : json(nullptr)},
          {"due_at", policies::format_time(ticket.next_due_ms)},
          {"overdue_ms", now_ms - ticket.next_due_ms}};
}

Response list_alerts(const ApiContext& context, const Request& request) {
  const std::int64_t now = context.now_ms();
  auto principal = authenticate(request, context.accounts, now);
  if (!principal) return error_reply(principal.error());
  if (Status ok = require_role(*principal, {policies::Role::officer, policies::Role::supervisor});
      !ok) {
    return error_reply(ok.error());
  }
  auto params = parse_query(request.query);
  if (!params) return error_reply(params.error());
  auto query = alert_query(*params, now);
  if (!query) return error_reply(query.error());
  const auto trust = context.directory.trust();
  if (!trust) {
    return error_reply(make_error("federation.no_jurisdiction", "the directory is not loaded yet"));
  }
  auto reader = context.readers.acquire();
  if (!reader) return error_reply(reader.error());
  auto page = alerts(**reader, *trust, context.config.node_id, *query);
  if (!page) return error_reply(page.error());
  json rows = json::array();
  for (const sync::Ticket& ticket : page->tickets) rows.push_back(alert_json(ticket, now));
  const auto scope = params->find("scope");
  const auto kind = params->find("kind");
  return json_response(200, {{"node", context.config.node_id},
                             {"scope", scope == params->end() ? "own" : scope->second},
                             {"kind", kind == params->end() ? "overdue" : kind->second},
                             {"due_soon_hours", kDueSoonMs / (60 * 60 * 1000)},
                             {"alerts", std::move(rows)},
                             {"partial", page->partial},
                             {"offset", query->offset},
                             {"limit", query->limit},
                             {"now", policies::format_time(now)}});
}

}  // namespace

void add_alert_routes(Router& router, const ApiContext& context) {
  router.add_sync("GET", "/api/v1/alerts",
                  [&context](const Request& request) { return list_alerts(context, request); });
}

}  // namespace wq::node::http

#include "ticket_routes.h"

#include <nlohmann/json.hpp>

#include "actions.h"
#include "api_errors.h"
#include "auth.h"
#include "intake.h"
#include "json_body.h"
#include "query_params.h"
#include "supervision_request.h"
#include "ticket_view.h"
#include "weiquan/crypto/bytes.h"
#include "weiquan/policies/validation.h"

namespace wq::node::http {
namespace {

using nlohmann::json;

constexpr std::size_t kDefaultPage = 50;
constexpr std::size_t kMaxPage = 500;

json receipt_json(const sync::SignedReceipt& receipt) {
  const auto& body = receipt.body;
  return {{"ticket_id", body.ticket_id()},
          {"received_at", policies::format_time(body.received_at_ms())},
          {"competent_office", body.competent_office()},
          {"filing_hash", crypto::to_hex(crypto::as_bytes(body.filing_hash()))},
          {"rule_version", body.rule_version()},
          {"signed",
           {{"body", crypto::to_base64(receipt.body_bytes)},
            {"signature", crypto::to_base64(receipt.signature)},
            {"signer", receipt.signer}}}};
}

void file_ticket(const ApiContext& context, const Request& request, const Reply& reply) {
  auto principal = authenticate_optional(request, context.accounts, context.now_ms());
  if (!principal) return reply(error_reply(principal.error()));
  auto body = parse_json_object(request.body);
  if (!body) return reply(error_reply(body.error()));
  auto intake = parse_intake(*body, *principal, context);
  if (!intake) return reply(error_reply(intake.error()));
  const bool queued =
      context.intake.push(std::move(intake->ticket), std::move(intake->key),
                          [reply, &self = context.config.node_id](Result<Filed> filed) {
                            if (!filed) return reply(error_reply(filed.error()));
                            const auto& receipt = filed->intake.submission.receipt;
                            // Received here at once, or on its way to the office with jurisdiction.
                            const bool here = receipt.body.competent_office() == self;
                            reply(json_response(201, {{"id", receipt.body.ticket_id()},
                                                      {"state", here ? "received" : "in_transit"},
                                                      {"receipt", receipt_json(receipt)},
                                                      {"possible_duplicates", filed->twins}}));
                          });
  if (!queued) {
    reply(error_reply(make_error("node.overloaded", "too many submissions at once; retry")));
  }
}

std::size_t page_value(const QueryParams& params, std::string_view name, std::size_t fallback,
                       std::size_t max, Status& status) {
  const auto it = params.find(name);
  if (it == params.end()) return fallback;
  std::size_t value = 0;
  for (char c : it->second) {
    if (c < '0' || c > '9' || value > max) {
      status = make_error("node.bad_query",
                          std::string(name) + " must be a number up to " + std::to_string(max));
      return fallback;
    }
    value = value * 10 + static_cast<std::size_t>(c - '0');
  }
  if (it->second.empty() || value > max) {
    status = make_error("node.bad_query",
                        std::string(name) + " must be a number up to " + std::to_string(max));
  }
  return value;
}

// What the account's queue holds: staff the office's tickets, by nearest deadline; a business or
// association what is assigned to it; a consumer their own.
Result<sync::TicketQuery> queue_query(const Principal& principal, const QueryParams& params,
                                      const ApiContext& context) {
  sync::TicketQuery query;
  Status status;
  query.limit = page_value(params, "limit", kDefaultPage, kMaxPage, status);
  query.offset = page_value(params, "offset", 0, 1'000'000, status);
  if (!status) return status.error();
  query.order = sync::TicketOrder::by_due;
  for (const auto& [name, value] : params) {
    if (name == "state") {
      query.state = value;
    } else if (name == "type") {
      auto type = policies::parse_type(value);
      if (!type)
        return make_error("node.bad_query", "type: complaint, report, inquiry or suggestion");
      query.type = *type;
    } else if (name == "due_before") {
      // A deadline bound lies ahead: allow times up to ten years from now.
      constexpr std::int64_t kTenYearsMs = 10LL * 366 * 24 * 60 * 60 * 1000;
      auto due = policies::parse_time(value, context.now_ms() + kTenYearsMs);
      if (!due) return make_error("node.bad_query", "due_before: " + due.error().message);
      query.due_before_ms = *due;
    } else if (name == "closed") {
      if (value != "true" && value != "false") {
        return make_error("node.bad_query", "closed: true or false");
      }
      query.closed = value == "true";
    } else if (name == "assignee") {
      if (value != "me") return make_error("node.bad_query", "assignee: me");
    } else if (name != "limit" && name != "offset") {
      return make_error("node.bad_query",
                        "unknown query parameter " + name +
                            " (state, type, due_before, closed, assignee, limit, offset)");
    }
  }
  if (!query.state && !query.closed) query.closed = false;
  switch (principal.role) {
    case policies::Role::officer:
    case policies::Role::supervisor:
      query.holder = context.config.node_id;
      if (params.contains("assignee")) {
        query.assignee_kind = "officer";
        query.assignee = principal.account_id;
      }
      break;
    case policies::Role::enterprise:
      query.assignee_kind = "enterprise";
      query.assignee = principal.uscc;
      if (!query.type) query.type = policies::TicketType::complaint;
      break;
    case policies::Role::association:
      query.assignee_kind = "association";
      query.assignee = principal.account_id;
      if (!query.type) query.type = policies::TicketType::complaint;
      break;
    case policies::Role::consumer:
      query.submitter = principal.account_id;
      query.order = sync::TicketOrder::by_id;
      query.closed.reset();
      break;
    default:
      return make_error("node.forbidden", "an admin account has no ticket queue");
  }
  return query;
}

Response list_tickets(const ApiContext& context, const Request& request) {
  const std::int64_t now = context.now_ms();
  auto principal = authenticate(request, context.accounts, now);
  if (!principal) return error_reply(principal.error());
  auto params = parse_query(request.query);
  if (!params) return error_reply(params.error());
  auto query = queue_query(*principal, *params, context);
  if (!query) return error_reply(query.error());
  auto reader = context.readers.acquire();
  if (!reader) return error_reply(reader.error());
  auto tickets = (*reader)->tickets(*query);
  if (!tickets) return error_reply(tickets.error());
  json rows = json::array();
  for (const auto& ticket : *tickets) {
    if (access_to(*principal, ticket, context.config) != Access::none) {
      rows.push_back(ticket_summary(ticket, now));
    }
  }
  return json_response(200, {{"tickets", std::move(rows)},
                             {"offset", query->offset},
                             {"limit", query->limit},
                             {"now", policies::format_time(now)}});
}

// The ticket `id` and how the principal may see it: node.unknown_ticket when there is no such
// ticket or the principal may not see it (the two are not told apart).
struct VisibleTicket {
  sync::Ticket ticket;
  Access access = Access::none;
};

Result<VisibleTicket> visible_ticket(const sync::StoreReader& reader, const Principal& principal,
                                     const std::string& id, const ApiContext& context) {
  auto ticket = reader.ticket(id);
  if (!ticket) return ticket.error();
  const Access access = *ticket ? access_to(principal, **ticket, context.config) : Access::none;
  if (access == Access::none) {
    return make_error("node.unknown_ticket", "no ticket " + id.substr(0, 60));
  }
  return VisibleTicket{std::move(**ticket), access};
}

Response show_ticket(const ApiContext& context, const Request& request) {
  const std::int64_t now = context.now_ms();
  auto principal = authenticate(request, context.accounts, now);
  if (!principal) return error_reply(principal.error());
  const std::string& id = request.params.at("id");
  auto reader = context.readers.acquire();
  if (!reader) return error_reply(reader.error());
  auto visible = visible_ticket(**reader, *principal, id, context);
  if (!visible) return error_reply(visible.error());
  auto events = (*reader)->events(id);
  if (!events) return error_reply(events.error());
  auto detail =
      ticket_detail(visible->ticket, *events,
                    DetailInputs{visible->access, context.config.node_id, &context.keys.box, now});
  if (!detail) return error_reply(detail.error());
  if (visible->access == Access::staff) {
    auto twins = context.duplicates.twins_of(id);
    (*detail)["possible_duplicates"] = twins ? json(*twins) : json::array();
  }
  return json_response(200, *detail);
}

using DraftBuilder = std::function<Result<weiquan::v1::EventBody>(const ActionInputs&)>;

// Builds and appends one event on the writer thread, where the ticket read for the access checks
// is exactly the state the event is appended to.
void append_step(const ApiContext& context, Principal principal, std::string id, DraftBuilder build,
                 Reply reply) {
  context.writer.post([&context, principal = std::move(principal), id = std::move(id),
                       build = std::move(build),
                       reply = std::move(reply)](sync::Store& store, sync::EventWriter& events) {
    const auto& reader = store.reader();
    auto ticket = reader.ticket(id);
    if (!ticket) return reply(error_reply(ticket.error()));
    auto chain = reader.events(id);
    if (!chain) return reply(error_reply(chain.error()));
    if (!*ticket || chain->empty()) {
      return reply(error_reply(make_error("node.unknown_ticket", "no ticket " + id.substr(0, 60))));
    }
    auto body = build(ActionInputs{principal, **ticket, *chain, store.trust(), context});
    if (!body) return reply(error_reply(body.error()));
    auto event = events.append(id, std::move(*body), context.now_ms());
    if (!event) return reply(error_reply(event.error()));
    auto after = reader.ticket(id);
    if (!after || !*after)
      return reply(error_reply(make_error("node.internal", "ticket vanished")));
    reply(json_response(200, {{"seq", event->body.seq()},
                              {"kind", std::string(event->kind())},
                              {"ticket", ticket_summary(**after, context.now_ms())}}));
  });
}

void act_on_ticket(const ApiContext& context, FederationLink* link, const Request& request,
                   const Reply& reply) {
  auto principal = authenticate(request, context.accounts, context.now_ms());
  if (!principal) return reply(error_reply(principal.error()));
  auto body = parse_json_object(request.body);
  if (!body) return reply(error_reply(body.error()));
  // Urging or supervising a ticket held elsewhere is a request to its holder (federated only;
  // otherwise the local step refuses it as before).
  if (link != nullptr && is_staff(*principal)) {
    auto reader = context.readers.acquire();
    if (!reader) return reply(error_reply(reader.error()));
    auto visible = visible_ticket(**reader, *principal, request.params.at("id"), context);
    if (visible && asks_holder(*body, visible->ticket, context.config)) {
      return ask_holder(context, *link, *principal, visible->ticket, *body, reply);
    }
  }
  append_step(
      context, std::move(*principal), request.params.at("id"),
      [body = std::move(*body)](const ActionInputs& inputs) { return build_action(body, inputs); },
      reply);
}

std::string filename_of(const Request& request) {
  std::string name(request.header("X-Filename").substr(0, 100));
  for (char& c : name) {
    if (c < 0x20 || c > 0x7E || c == '/' || c == '\\') c = '_';
  }
  return name.empty() ? "evidence" : name;
}

void upload_evidence(const ApiContext& context, const Request& request, const Reply& reply) {
  auto principal = authenticate(request, context.accounts, context.now_ms());
  if (!principal) return reply(error_reply(principal.error()));
  // Only someone who may see the ticket puts files on this node's disk (the step itself checks
  // again on the writer thread).
  {
    auto reader = context.readers.acquire();
    if (!reader) return reply(error_reply(reader.error()));
    auto visible = visible_ticket(**reader, *principal, request.params.at("id"), context);
    if (!visible) return reply(error_reply(visible.error()));
  }
  auto stored = context.evidence.put(request.header("Content-Type"), request.body);
  if (!stored) return reply(error_reply(stored.error()));
  append_step(
      context, std::move(*principal), request.params.at("id"),
      [stored = std::move(*stored), filename = filename_of(request)](
          const ActionInputs& inputs) -> Result<weiquan::v1::EventBody> {
        const Access access = access_to(inputs.principal, inputs.ticket, inputs.context.config);
        if (access == Access::none) {
          return make_error("node.unknown_ticket", "no ticket " + inputs.ticket.id);
        }
        weiquan::v1::EventBody body;
        *body.mutable_actor() = actor_of(inputs.principal);
        auto& added = *body.mutable_evidence_added();
        added.set_content_hash(stored.hash.data(), stored.hash.size());
        added.set_media_type(stored.media_type);
        added.set_size(stored.size);
        added.set_filename(filename);
        return body;
      },
      reply);
}

Response download_evidence(const ApiContext& context, const Request& request) {
  auto principal = authenticate(request, context.accounts, context.now_ms());
  if (!principal) return error_reply(principal.error());
  const std::string& id = request.params.at("id");
  const std::string& hex = request.params.at("hash");
  const auto unknown =
      make_error("node.unknown_evidence", "no such evidence on ticket " + id.substr(0, 60));
  auto reader = context.readers.acquire();
  if (!reader) return error_reply(reader.error());
  if (auto visible = visible_ticket(**reader, *principal, id, context); !visible) {
    return error_reply(visible.error().code == "node.unknown_ticket" ? unknown : visible.error());
  }
  auto events = (*reader)->events(id);
  if (!events) return error_reply(events.error());
  for (const auto& event : *events) {
    if (!event.body.has_evidence_added()) continue;
    const auto& added = event.body.evidence_added();
    if (crypto::to_hex(crypto::as_bytes(added.content_hash())) != hex) continue;
    auto hash = crypto::to_array<32>(crypto::as_bytes(added.content_hash()));
    if (!hash) return error_reply(unknown);
    auto content = context.evidence.get(*hash);
    if (!content) return error_reply(content.error());
    Response response;
    response.content_type = added.media_type();
    response.body = std::move(*content);
    return response;
  }
  return error_reply(unknown);
}

Response search_businesses(const ApiContext& context, const Request& request) {
  auto params = parse_query(request.query);
  if (!params) return error_reply(params.error());
  const auto q = params->find("q");
  if (q == params->end() || q->second.empty() || q->second.size() > 200) {
    return error_reply(make_error("node.bad_query", "q: part of the business's name or its USCC"));
  }
  json rows = json::array();
  auto found = context.businesses.search(q->second, 20);
  if (!found) return error_reply(found.error());
  for (const auto& business : *found) {
    rows.push_back({{"uscc", business.uscc},
                    {"name", business.name},
                    {"region", business.region},
                    {"address", business.address}});
  }
  return json_response(200, {{"businesses", std::move(rows)}});
}

}  // namespace

void add_ticket_routes(Router& router, const ApiContext& context, FederationLink* link) {
  router.add("POST", "/api/v1/tickets", [&context](const Request& request, Reply reply) {
    file_ticket(context, request, reply);
  });
  router.add_sync("GET", "/api/v1/tickets",
                  [&context](const Request& request) { return list_tickets(context, request); });
  router.add_sync("GET", "/api/v1/tickets/{id}",
                  [&context](const Request& request) { return show_ticket(context, request); });
  router.add("POST", "/api/v1/tickets/{id}/actions",
             [&context, link](const Request& request, Reply reply) {
               act_on_ticket(context, link, request, reply);
             });
  router.add("POST", "/api/v1/tickets/{id}/evidence",
             [&context](const Request& request, Reply reply) {
               upload_evidence(context, request, reply);
             });
  router.add_sync(
      "GET", "/api/v1/tickets/{id}/evidence/{hash}",
      [&context](const Request& request) { return download_evidence(context, request); });
  router.add_sync("GET", "/api/v1/businesses", [&context](const Request& request) {
    return search_businesses(context, request);
  });
}

}  // namespace wq::node::http

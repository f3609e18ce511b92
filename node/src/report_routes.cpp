#include "report_routes.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "api_errors.h"
#include "auth.h"
#include "query_params.h"
#include "weiquan/crypto/bytes.h"
#include "weiquan/federation/report_codec.h"
#include "weiquan/federation/report_figures.h"
#include "weiquan/sync/stats.h"

namespace wq::node::http {
namespace {

using nlohmann::json;

Response report_error(const Error& error) {
  unsigned status = 0;
  if (error.code == "node.no_parent") {
    status = 409;
  } else if (error.code == "federation.unreachable") {
    status = 503;
  } else if (error.code.starts_with("federation.") || error.code.starts_with("crypto.")) {
    status = 502;  // the parent answered badly or does not take this report
  } else {
    return error_reply(error);
  }
  Response response = error_response(status, error.code, error.message);
  if (status == 503) response.headers.emplace_back("Retry-After", "1");
  return response;
}

Result<ReportPeriod> period_of(const Request& request) {
  auto params = parse_query(request.query);
  if (!params) return params.error();
  for (const auto& [name, value] : *params) {
    if (name != "period") {
      return make_error("node.bad_query",
                        "unknown query parameter " + name.substr(0, 40) + " (period)");
    }
  }
  const auto it = params->find("period");
  if (it == params->end()) return make_error("node.bad_query", "period: required");
  return parse_report_period(it->second);
}

std::string day_text(std::uint32_t d) {
  char text[16];
  std::snprintf(text, sizeof text, "%04u-%02u-%02u", d / 10000, (d / 100) % 100, d % 100);
  return text;
}

json figures_json(const weiquan::v1::Signed& wire) {
  auto report = federation::decode_report(wire);
  if (!report) return nullptr;
  const federation::PeriodFigures figures = federation::figures_of(report->body);
  json measures = json::object();
  for (std::size_t i = 0; i < sync::kMeasureCount; ++i) {
    measures[std::string(sync::kMeasureNames[i])] = figures.measures.values[i];
  }
  return {{"measures", std::move(measures)},
          {"tickets_counted", figures.tickets_counted},
          {"ids_hash", crypto::to_hex(figures.ids_hash)},
          {"backlog_to_parent", report->body.backlog_to_parent()}};
}

json own_json(const KeptReport& kept) {
  json answer = nullptr;
  if (!kept.outcome.empty()) {
    answer = {{"outcome", kept.outcome},
              {"differing", kept.differing},
              {"parent_tickets_counted", kept.parent_tickets},
              {"code", kept.code},
              {"answered_at_ms", kept.answered_at_ms}};
  }
  return {{"generated_at_ms", kept.generated_at_ms},
          {"figures", figures_json(kept.report)},
          {"answer", std::move(answer)}};
}

json child_json(const KeptReport& kept) {
  return {{"node", kept.node},
          {"status", kept.outcome},
          {"generated_at_ms", kept.generated_at_ms},
          {"checked_at_ms", kept.answered_at_ms},
          {"differing", kept.differing},
          {"child_tickets_counted", kept.tickets},
          {"parent_tickets_counted", kept.parent_tickets},
          {"figures", figures_json(kept.report)}};
}

// The offices this node issued certificates to and trusts now, by node id.
std::vector<std::string> children_of(const ApiContext& context) {
  std::vector<std::string> out;
  const auto trust = context.directory.trust();
  if (!trust) return out;
  const std::int64_t now = context.now_ms();
  for (const crypto::SignedCertificate* cert : trust->certificates()) {
    const auto& c = cert->cert;
    if (c.issuer != context.config.node_id || c.node_id == context.config.node_id) continue;
    if (!trust->verify_chain(c.node_id, now)) continue;
    if (out.empty() || out.back() != c.node_id) out.push_back(c.node_id);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Response list_reports(const ApiContext& context, ReportBook& book, const Request& request) {
  auto principal = authenticate(request, context.accounts, context.now_ms());
  if (!principal) return report_error(principal.error());
  if (!is_staff(*principal) && principal->role != policies::Role::admin) {
    return report_error(make_error("node.forbidden", "reports are for the staff here"));
  }
  auto period = period_of(request);
  if (!period) return report_error(period.error());
  auto own = book.sent(*period);
  if (!own) return report_error(own.error());
  auto received = book.received(*period);
  if (!received) return report_error(received.error());
  std::map<std::string, json> children;
  for (const std::string& child : children_of(context)) {
    children[child] = {{"node", child}, {"status", "missing"}};
  }
  for (const KeptReport& kept : *received) children[kept.node] = child_json(kept);
  json list = json::array();
  for (auto& [node, entry] : children) list.push_back(std::move(entry));
  return json_response(200, {{"node", context.config.node_id},
                             {"period", period_name(*period)},
                             {"from", day_text(period->from_day)},
                             {"to", day_text(period->to_day)},
                             {"own", *own ? own_json(**own) : json(nullptr)},
                             {"children", std::move(list)}});
}

void send_now(const ApiContext& context, FederationLink* link, const Request& request,
              const Reply& reply) {
  auto principal = authenticate(request, context.accounts, context.now_ms());
  if (!principal) return reply(report_error(principal.error()));
  if (Status ok = require_role(*principal, {policies::Role::admin}); !ok) {
    return reply(report_error(ok.error()));
  }
  auto period = period_of(request);
  if (!period) return reply(report_error(period.error()));
  if (link == nullptr) {
    return reply(report_error(make_error("node.no_parent", "this node is not federated")));
  }
  link->send_report(*period, [reply, name = period_name(*period)](
                                 Result<weiquan::v1::ReportReply> answer) {
    if (!answer) return reply(report_error(answer.error()));
    const char* outcome = answer->outcome() == weiquan::v1::REPORT_OUTCOME_MATCH    ? "match"
                          : answer->outcome() == weiquan::v1::REPORT_OUTCOME_BEHIND ? "behind"
                                                                                    : "mismatch";
    reply(json_response(200, {{"period", name},
                              {"outcome", outcome},
                              {"differing", std::vector<std::string>(answer->differing().begin(),
                                                                     answer->differing().end())},
                              {"parent_tickets_counted", answer->parent_tickets_counted()}}));
  });
}

}  // namespace

void add_report_routes(Router& router, const ApiContext& context, ReportBook& book,
                       FederationLink* link) {
  router.add_sync("GET", "/api/v1/reports", [&context, &book](const Request& request) {
    return list_reports(context, book, request);
  });
  router.add("POST", "/api/v1/reports/send", [&context, link](const Request& request, Reply reply) {
    send_now(context, link, request, reply);
  });
}

}  // namespace wq::node::http

#include "weiquan/federation/report_exchange.h"

#include <utility>

#include "weiquan/crypto/hash.h"
#include "wire_bytes.h"

namespace wq::federation {
namespace {

using weiquan::v1::ReportReply;

Result<ReportReply> answer_of(const std::string& parent, const crypto::Hash& id,
                              Result<sync::Transport::Bytes> reply) {
  if (!reply) {
    return make_error("federation.unreachable",
                      "the parent " + parent + " did not answer (" + reply.error().code + ")");
  }
  ReportReply answer;
  const std::string expected(id.begin(), id.end());
  if (reply->size() > sync::kMaxTransportPayload ||
      !answer.ParseFromArray(reply->data(), static_cast<int>(reply->size())) ||
      answer.version() != 1 || (!answer.report_id().empty() && answer.report_id() != expected)) {
    return make_error("federation.bad_report_reply",
                      "the parent " + parent + " answered with something that is not a reply");
  }
  switch (answer.outcome()) {
    case weiquan::v1::REPORT_OUTCOME_MATCH:
    case weiquan::v1::REPORT_OUTCOME_MISMATCH:
    case weiquan::v1::REPORT_OUTCOME_BEHIND:
      if (answer.report_id() != expected) break;
      return answer;
    case weiquan::v1::REPORT_OUTCOME_REFUSED:
      if (answer.code().empty()) break;
      return make_error(answer.code(), "the parent " + parent + " refused: " + answer.message());
    default:
      break;
  }
  return make_error("federation.bad_report_reply",
                    "the parent " + parent + " answered with an incomplete reply");
}

}  // namespace

crypto::Hash report_id(const weiquan::v1::Signed& report) {
  return crypto::blake2b_256(crypto::as_bytes(report.body()));
}

void send_report(sync::Transport& transport, const std::string& parent, const std::string& self,
                 const weiquan::v1::Signed& report, std::function<void(Result<ReportReply>)> done) {
  weiquan::v1::RpcRequest rpc;
  rpc.set_version(1);
  rpc.set_origin(self);
  *rpc.mutable_report()->mutable_report() = report;
  transport.request(
      parent, sync::Channel::rpc, serialized(rpc), kReportTimeout,
      [parent, id = report_id(report), done = std::move(done)](
          Result<sync::Transport::Bytes> reply) { done(answer_of(parent, id, std::move(reply))); });
}

ReportDesk::ReportDesk(std::string self, OnOwner on_owner, Behind behind, Keep keep,
                       std::function<std::int64_t()> now_ms)
    : self_(std::move(self)),
      on_owner_(std::move(on_owner)),
      behind_(std::move(behind)),
      keep_(std::move(keep)),
      now_ms_(std::move(now_ms)) {}

sync::RpcServer::Handler ReportDesk::handler() {
  return [this](weiquan::v1::RpcRequest request, sync::Transport::Respond respond) {
    on_owner_(
        [this, request = std::move(request), respond = std::move(respond)](sync::Store& store) {
          respond(serialized(check(request.report().report(), store)));
        });
  };
}

ReportReply ReportDesk::check(const weiquan::v1::Signed& wire, sync::Store& store) {
  ReportReply reply;
  reply.set_version(1);
  const crypto::Hash id = report_id(wire);
  reply.set_report_id(id.data(), id.size());
  auto report = decode_report(wire);
  if (!report) return refused(std::move(reply), report.error());
  const std::int64_t now = now_ms_();
  if (Status ok = verify_report(*report, store.trust(), self_, now); !ok) {
    return refused(std::move(reply), ok.error());
  }
  const auto& body = report->body;
  auto own = period_figures(store.reader(), body.region(), body.from_day(), body.to_day());
  if (!own) return refused(std::move(reply), own.error());
  const bool behind = body.backlog_to_parent() > 0 || behind_(body.node_id(), store.trust());
  CheckedReport checked{*report, wire, compare_report(figures_of(body), *own, behind), now};
  auto kept = keep_(checked);
  if (!kept) return refused(std::move(reply), kept.error());
  if (!*kept) {
    return refused(std::move(reply),
                   make_error("federation.report_superseded",
                              "a report of " + body.node_id() +
                                  " for this period generated later is held already"));
  }
  const ReportComparison& comparison = checked.comparison;
  reply.set_outcome(comparison.outcome);
  for (const std::string& name : comparison.differing) reply.add_differing(name);
  reply.set_parent_tickets_counted(comparison.parent_tickets);
  std::lock_guard lock(mutex_);
  switch (comparison.outcome) {
    case weiquan::v1::REPORT_OUTCOME_MATCH:
      ++counters_.match;
      break;
    case weiquan::v1::REPORT_OUTCOME_BEHIND:
      ++counters_.behind;
      break;
    default:
      ++counters_.mismatch;
      break;
  }
  return reply;
}

ReportReply ReportDesk::refused(ReportReply reply, const Error& error) {
  reply.set_outcome(weiquan::v1::REPORT_OUTCOME_REFUSED);
  reply.set_code(error.code);
  reply.set_message(error.message);
  std::lock_guard lock(mutex_);
  ++counters_.refused;
  counters_.last_refused = error.code;
  return reply;
}

ReportDeskCounters ReportDesk::counters() const {
  std::lock_guard lock(mutex_);
  return counters_;
}

}  // namespace wq::federation

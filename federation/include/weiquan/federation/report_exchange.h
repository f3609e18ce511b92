// Both ends of period reports (protocol.md §16) over an abstract Transport.
//
// Sending (child -> parent): send_report puts a signed PeriodReportBody in an RpcRequest `report`
// on the parent's rpc channel and hands `done` the parent's ReportReply: its outcome (match,
// mismatch, behind; refused with the parent's code becomes that error), or federation.unreachable
// when no answer came (sync.timeout, sync.unreachable), federation.bad_report_reply when the answer
// does not parse or answers another report.
//
// Serving (parent): ReportDesk::handler() takes a request on the rpc channel; on the thread that
// owns the store it decodes the report (report_codec.h), verifies it (report_check.h: a direct
// child's, signed, for its own region), reads this node's own figures for the child's region and
// period (report_figures.h), compares them — `behind` decides whether a difference is explained by
// events still on their way — and asks `keep` to store the outcome durably. `keep` answers false
// when it holds a report of the same child and period generated later: the older one is refused
// (federation.report_superseded) and changes nothing. The reply names the outcome; a request that
// does not decode or verify gets REFUSED with the code, so the child learns why.
//
// Threads: send_report from any thread, `done` runs once on a transport thread. handler() on the
// transport's threads; `on_owner` runs work where the store is used (the writer thread), and
// `behind` and `keep` are called there. counters() from any thread.
// Ownership: the desk must outlive the requests handed to it.
// Failure codes: see above; keep's own errors (sync.db) are answered as REFUSED with their code.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

#include "weiquan/federation/report_check.h"
#include "weiquan/federation/report_codec.h"
#include "weiquan/federation/report_figures.h"
#include "weiquan/result.h"
#include "weiquan/sync/rpc_server.h"
#include "weiquan/sync/store.h"
#include "weiquan/sync/transport.h"
#include "weiquan/v1/weiquan.pb.h"

namespace wq::federation {

inline constexpr std::chrono::milliseconds kReportTimeout{10'000};

void send_report(sync::Transport& transport, const std::string& parent, const std::string& self,
                 const weiquan::v1::Signed& report,
                 std::function<void(Result<weiquan::v1::ReportReply>)> done);

// The id of a report: BLAKE2b-256 of its body bytes.
crypto::Hash report_id(const weiquan::v1::Signed& report);

// A child's report as checked here.
struct CheckedReport {
  PeriodReport report;
  weiquan::v1::Signed wire;
  ReportComparison comparison;
  std::int64_t checked_at_ms = 0;
};

struct ReportDeskCounters {
  std::uint64_t match = 0;
  std::uint64_t mismatch = 0;
  std::uint64_t behind = 0;
  std::uint64_t refused = 0;
  std::string last_refused;  // code of the last refusal
};

class ReportDesk {
 public:
  using OnOwner = std::function<void(std::function<void(sync::Store&)>)>;
  // Whether events of `child`'s subtree were still on their way here (besides the report's own
  // backlog_to_parent, which the desk looks at itself), with the store's TrustStore.
  using Behind = std::function<bool(const std::string& child, const crypto::TrustStore& trust)>;
  using Keep = std::function<Result<bool>(const CheckedReport&)>;

  ReportDesk(std::string self, OnOwner on_owner, Behind behind, Keep keep,
             std::function<std::int64_t()> now_ms);
  ReportDesk(const ReportDesk&) = delete;
  ReportDesk& operator=(const ReportDesk&) = delete;

  sync::RpcServer::Handler handler();

  // On the owner's thread: checks one report and answers it (what handler() does).
  weiquan::v1::ReportReply check(const weiquan::v1::Signed& wire, sync::Store& store);

  ReportDeskCounters counters() const;

 private:
  weiquan::v1::ReportReply refused(weiquan::v1::ReportReply reply, const Error& error);

  std::string self_;
  OnOwner on_owner_;
  Behind behind_;
  Keep keep_;
  std::function<std::int64_t()> now_ms_;
  mutable std::mutex mutex_;
  ReportDeskCounters counters_;
};

}  // namespace wq::federation

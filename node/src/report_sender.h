// ReportSender: the child's side of period reports (protocol.md §16). For a period it reads this
// node's figures (federation/report_figures.h) for its own region on the writer thread, signs a
// PeriodReportBody with them and its outbox backlog towards the parent, records it in the
// ReportBook and sends it to the parent (federation::send_report); the parent's answer is recorded
// on the report it answers.
//
// send_due() reports each of the last kReportedMonths finished months that is not settled: a
// month is settled when the report last sent for it was answered `match` and the figures read now
// are still those it stated. Late events therefore produce a newer report, and a report answered
// mismatch, behind, refused or not at all is sent again (with fresh figures) on the next call.
// send() reports one period at once, finished or not (the admin's "send now").
//
// Threads: send_due() and send() on the writer thread (they read the store through
// Store::reader(), so the counters and the ticket ids are of one commit); `done` runs on a
// transport thread. Ownership: transport, key and book must outlive the sender and the answers
// still on their way (the federation link closes the transport before they go).
// Failure codes passed to `done`: sync.db, sync.bad_stats_query, and those of
// federation::send_report.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "report_book.h"
#include "report_period.h"
#include "weiquan/crypto/keys.h"
#include "weiquan/sync/store.h"
#include "weiquan/sync/transport.h"

namespace wq::node {

class ReportSender {
 public:
  using Done = std::function<void(Result<weiquan::v1::ReportReply>)>;

  ReportSender(std::string self, std::string parent, const crypto::SigningKeyPair& key,
               sync::Transport& transport, ReportBook& book, std::function<std::int64_t()> now_ms);

  void send_due(sync::Store& store);
  void send(sync::Store& store, const ReportPeriod& period, Done done);

 private:
  std::string self_;
  std::string parent_;
  const crypto::SigningKeyPair& key_;
  sync::Transport& transport_;
  ReportBook& book_;
  std::function<std::int64_t()> now_ms_;
};

}  // namespace wq::node

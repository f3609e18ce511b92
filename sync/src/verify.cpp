#include "weiquan/sync/verify.h"

#include <istream>
#include <tuple>
#include <vector>

#include "weiquan/crypto/certificate.h"
#include "weiquan/sync/certificate_codec.h"
#include "weiquan/sync/chain.h"
#include "weiquan/sync/event_codec.h"
#include "weiquan/sync/export.h"

namespace wq::sync {
namespace {

// Checks records fed in export order and remembers the first broken one.
class Verifier {
 public:
  Verifier(const crypto::PublicKey& anchor_key, std::string_view anchor_id)
      : trust_(anchor_key, std::string(anchor_id)) {}

  // False once a record is broken; later records are not looked at.
  bool add(const Record& record, std::uint64_t line) {
    if (report_.broken) return false;
    Status ok = check(record);
    if (ok) return true;
    BrokenRecord broken;
    broken.type = record.type;
    broken.node_id = record.node_id;
    broken.serial = serial_;
    broken.ticket_id = record.ticket_id;
    broken.seq = record.seq;
    broken.line = line;
    broken.reason = ok.error();
    report_.broken = std::move(broken);
    return false;
  }

  void fail(std::uint64_t line, Error reason) {
    BrokenRecord broken;
    broken.line = line;
    broken.reason = std::move(reason);
    report_.broken = std::move(broken);
  }

  VerifyReport report() const { return report_; }

 private:
  Status check(const Record& record) {
    serial_ = 0;
    if (record.type < phase_) {
      return make_error("sync.out_of_order", std::string(record_type_name(record.type)) +
                                                 " after a later kind of record");
    }
    phase_ = record.type;
    switch (record.type) {
      case RecordType::certificate:
        return check_certificate(record);
      case RecordType::revocation:
        return check_revocation(record);
      case RecordType::event:
        return check_event(record);
    }
    return {};
  }

  Status check_certificate(const Record& record) {
    auto cert = decode_certificate(record.body, record.signature, record.signer);
    if (!cert) return cert.error();
    serial_ = cert->cert.serial;
    if (cert->cert.node_id != record.node_id) {
      return make_error("sync.misfiled",
                        "filed under " + record.node_id + " but certifies " + cert->cert.node_id);
    }
    // Export order (protocol.md §6): by level, then node id (bytes), then serial.
    CertificateKey key{static_cast<int>(cert->cert.level), cert->cert.node_id, cert->cert.serial};
    if (key < last_certificate_) {
      return make_error("sync.out_of_order",
                        "certificates are not ordered by level, node id and serial");
    }
    last_certificate_ = std::move(key);
    if (Status ok = trust_.add(std::move(*cert)); !ok) return ok;
    ++report_.certificates;
    return {};
  }

  Status check_revocation(const Record& record) {
    auto revocation = decode_revocation(record.body, record.signature, record.signer);
    if (!revocation) return revocation.error();
    serial_ = revocation->revocation.serial;
    if (revocation->revocation.node_id != record.node_id) {
      return make_error("sync.misfiled", "filed under " + record.node_id + " but revokes " +
                                             revocation->revocation.node_id);
    }
    if (Status ok = trust_.add(std::move(*revocation)); !ok) return ok;
    ++report_.revocations;
    return {};
  }

  Status check_event(const Record& record) {
    auto event = decode_event(record.body, record.signature, record.signer);
    if (!event) return event.error();
    if (event->ticket_id() != record.ticket_id || event->seq() != record.seq) {
      return make_error("sync.misfiled", "the signed body is " + event->ticket_id() + " seq " +
                                             std::to_string(event->seq()));
    }
    auto cert = trust_.verify_chain(event->author(), event->body.time_ms());
    if (!cert) return cert.error();
    if (Status ok = verify_signature(*event, (*cert)->cert.sign_key); !ok) return ok;
    const bool new_ticket = report_.events == 0 || record.ticket_id != ticket_;
    // Each ticket is one run of lines, in ascending ticket id order (protocol.md §6): a ticket
    // that came back after another would be a second chain for it, hidden equivocation.
    if (new_ticket && report_.events > 0 && record.ticket_id < ticket_) {
      return make_error("sync.out_of_order", "ticket " + record.ticket_id + " after " + ticket_ +
                                                 ": events are not ordered by ticket id");
    }
    if (Status ok = new_ticket ? check_first(*event) : check_next(last_seq_, head_, *event); !ok) {
      return ok;
    }
    if (new_ticket) ++report_.tickets;
    ticket_ = record.ticket_id;
    last_seq_ = event->seq();
    head_ = event->id;
    ++report_.events;
    return {};
  }

  using CertificateKey = std::tuple<int, std::string, std::uint64_t>;

  crypto::TrustStore trust_;
  VerifyReport report_;
  CertificateKey last_certificate_{0, "", 0};
  RecordType phase_ = RecordType::certificate;
  std::uint64_t serial_ = 0;  // of the certificate or revocation being checked
  std::string ticket_;        // the chain being followed
  std::uint64_t last_seq_ = 0;
  EventId head_{};
};

}  // namespace

std::string VerifyReport::summary() const {
  if (!broken) {
    return "ok: " + std::to_string(certificates) + " certificates, " + std::to_string(revocations) +
           " revocations, " + std::to_string(events) + " events in " + std::to_string(tickets) +
           " tickets";
  }
  std::string where = broken->line > 0 ? "line " + std::to_string(broken->line) + ": " : "";
  if (broken->type == RecordType::event) {
    where += "event " + broken->ticket_id + " seq " + std::to_string(broken->seq);
  } else {
    where += std::string(record_type_name(broken->type)) + " of " + broken->node_id;
    if (broken->serial != 0) where += " serial " + std::to_string(broken->serial);
  }
  return "broken: " + where + ": " + broken->reason.code + ": " + broken->reason.message;
}

Result<VerifyReport> verify_store(const StoreReader& reader, const crypto::PublicKey& anchor_key,
                                  std::string_view anchor_id) {
  Verifier verifier(anchor_key, anchor_id);
  const Error stop = make_error("sync.stop", "");
  Status ok = reader.scan([&](const Record& record) -> Status {
    if (verifier.add(record, 0)) return {};
    return stop;
  });
  if (!ok && ok.error().code != stop.code) return ok.error();
  return verifier.report();
}

Result<VerifyReport> verify_export(std::istream& in, const crypto::PublicKey& anchor_key,
                                   std::string_view anchor_id) {
  Verifier verifier(anchor_key, anchor_id);
  std::vector<char> buffer(kMaxExportLineBytes + 2);
  for (std::uint64_t line = 1;; ++line) {
    in.getline(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const auto length = static_cast<std::size_t>(in.gcount());
    if (in.bad()) return make_error("sync.io", "reading the export failed");
    if (in.fail() && !in.eof()) {  // the buffer filled before the end of the line
      verifier.fail(line, make_error("sync.too_large", "line longer than the limit"));
      break;
    }
    if (length == 0 && in.eof()) break;
    if (in.eof()) {  // text after the last "\n"
      verifier.fail(line, make_error("sync.malformed", "the last line does not end in \"\\n\""));
      break;
    }
    const std::string_view text(buffer.data(), length - 1);
    if (text.empty()) {
      verifier.fail(line, make_error("sync.malformed", "empty line"));
      break;
    }
    auto record = parse_export_line(text);
    if (!record) {
      verifier.fail(line, record.error());
      break;
    }
    if (!verifier.add(*record, line)) break;
  }
  return verifier.report();
}

}  // namespace wq::sync

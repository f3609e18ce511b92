#include "weiquan/federation/report_codec.h"

#include <chrono>
#include <optional>
#include <string_view>

#include "weiquan/crypto/hash.h"
#include "weiquan/crypto/signing.h"
#include "weiquan/sync/node_id.h"
#include "weiquan/sync/stats.h"

namespace wq::federation {
namespace {

using weiquan::v1::PeriodReportBody;

Error bad(std::string_view why) {
  return make_error("federation.bad_report", "report: " + std::string(why));
}

std::optional<std::chrono::sys_days> day_of(std::uint32_t yyyymmdd) {
  using namespace std::chrono;
  const year_month_day date{year{static_cast<int>(yyyymmdd / 10000)}, month{(yyyymmdd / 100) % 100},
                            day{yyyymmdd % 100}};
  if (!date.ok()) return std::nullopt;
  return sys_days(date);
}

Status check_period(const PeriodReportBody& body) {
  const auto from = day_of(body.from_day());
  const auto to = day_of(body.to_day());
  if (!from || !to) return bad("from_day and to_day must be dates (YYYYMMDD)");
  if (*to < *from) return bad("to_day is before from_day");
  if ((*to - *from).count() + 1 > static_cast<int>(sync::kMaxStatsDays)) {
    return bad("the period is longer than " + std::to_string(sync::kMaxStatsDays) + " days");
  }
  return {};
}

Status check(const PeriodReportBody& body, std::string_view signer) {
  if (body.version() != 1) return bad("version is not 1");
  if (!sync::valid_node_id(body.node_id())) return bad("node_id is not a node id");
  if (signer != body.node_id()) return bad("signer is not the reporting node");
  if (body.region() != sync::node_region(body.node_id())) {
    return bad("region is not the reporting node's");
  }
  if (Status ok = check_period(body); !ok) return ok;
  if (body.measures_size() != static_cast<int>(sync::kMeasureCount)) {
    return bad("there must be " + std::to_string(sync::kMeasureCount) + " measures");
  }
  for (std::int64_t value : body.measures()) {
    if (value < 0) return bad("a measure is negative");
  }
  const auto tickets = body.measures(static_cast<int>(sync::Measure::tickets));
  if (body.tickets_counted() != static_cast<std::uint64_t>(tickets)) {
    return bad("tickets_counted is not the tickets measure");
  }
  if (body.ids_hash().size() != std::tuple_size_v<crypto::Hash>) {
    return bad("ids_hash is not 32 bytes");
  }
  if (body.generated_at_ms() <= 0) return bad("generated_at_ms is not positive");
  return {};
}

bool has_unknown_fields(const google::protobuf::Message& message) {
  return !message.GetReflection()->GetUnknownFields(message).empty();
}

}  // namespace

weiquan::v1::Signed encode_report(const PeriodReportBody& body, const crypto::SigningKeyPair& key) {
  const std::string bytes = body.SerializeAsString();
  const crypto::Signature signature =
      crypto::sign(key, crypto::Domain::report, crypto::as_bytes(bytes));
  weiquan::v1::Signed wire;
  wire.set_body(bytes);
  wire.set_signature(signature.data(), signature.size());
  wire.set_signer(body.node_id());
  return wire;
}

Result<PeriodReport> decode_report(const weiquan::v1::Signed& wire) {
  if (has_unknown_fields(wire)) return bad("the wrapper carries unknown fields");
  if (wire.body().size() > kMaxReportBytes) return bad("body too large");
  PeriodReport report;
  if (!report.body.ParseFromString(wire.body())) return bad("body does not parse");
  if (has_unknown_fields(report.body)) return bad("body carries unknown fields");
  auto signature = crypto::to_array<64>(crypto::as_bytes(wire.signature()));
  if (!signature) return bad("signature is not 64 bytes");
  if (Status ok = check(report.body, wire.signer()); !ok) return ok.error();
  const crypto::ByteView body = crypto::as_bytes(wire.body());
  report.body_bytes.assign(body.begin(), body.end());
  report.signature = *signature;
  report.signer = wire.signer();
  return report;
}

crypto::Hash ticket_ids_hash(std::span<const std::string> sorted_ids) {
  crypto::Hasher hasher;
  static constexpr std::uint8_t kNewline[] = {0x0A};
  for (const std::string& id : sorted_ids) {
    hasher.update(crypto::as_bytes(id));
    hasher.update(kNewline);
  }
  return hasher.finish();
}

}  // namespace wq::federation

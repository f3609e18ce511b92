// Period report codec (protocol.md §16): a node's signed figures of its subtree for one period.
//
// encode_report serializes a PeriodReportBody exactly once, signs those bytes with Domain::report
// under the reporting node's key and wraps them in a `weiquan.v1.Signed` whose signer is the body's
// node_id. decode_report parses a received wrapper strictly: the body at most kMaxReportBytes, no
// unknown field, a 64-byte signature, version 1, a node id that is signer = node_id and whose
// region is the body's region, from_day and to_day dates in order spanning at most
// sync::kMaxStatsDays, exactly sync::kMeasureCount measures none negative, tickets_counted equal to
// the `tickets` measure, a 32-byte ids_hash and generated_at_ms > 0. It does NOT verify the
// signature: that needs the signer's certificate (report_check.h).
//
// ticket_ids_hash is the ids_hash of a set of ticket ids: BLAKE2b-256 over each id's bytes followed
// by one 0x0A byte, the ids in ascending order of their bytes (the caller passes them so).
//
// Ownership: PeriodReport is a self-contained value. Thread safety: pure functions.
// Failure codes: federation.bad_report (too large, does not parse, unknown content or a field rule
// fails; the message says which).
#pragma once

#include <cstddef>
#include <span>
#include <string>

#include "weiquan/crypto/bytes.h"
#include "weiquan/crypto/keys.h"
#include "weiquan/result.h"
#include "weiquan/sync/envelope_codec.h"
#include "weiquan/v1/weiquan.pb.h"

namespace wq::federation {

inline constexpr std::size_t kMaxReportBytes = 4 * 1024;

// A decoded report: the body, its exact signed bytes, the signature and the signer.
using PeriodReport = sync::SignedMessage<weiquan::v1::PeriodReportBody>;

// The wire form of `body` signed by `key`; the caller fills every field.
weiquan::v1::Signed encode_report(const weiquan::v1::PeriodReportBody& body,
                                  const crypto::SigningKeyPair& key);

Result<PeriodReport> decode_report(const weiquan::v1::Signed& wire);

crypto::Hash ticket_ids_hash(std::span<const std::string> sorted_ids);

}  // namespace wq::federation

// Record: one stored signed object exactly as it sits in the store or in an export line — the
// unit that `export` writes and `verify` checks. Nothing in a Record has been trusted yet: the body
// and signature are raw bytes that may have been altered on disk.
//
// Thread safety: a plain value.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "weiquan/crypto/bytes.h"

namespace wq::sync {

enum class RecordType { certificate, revocation, event };

std::string_view record_type_name(RecordType type);  // "certificate", "revocation", "event"

struct Record {
  RecordType type = RecordType::event;
  std::string signer;     // issuer node id (certificate, revocation) or author node id (event)
  std::string ticket_id;  // events only
  std::uint64_t seq = 0;  // events only
  std::string node_id;    // certificates and revocations: the node the record is about
  crypto::Bytes body;
  crypto::Bytes signature;
};

}  // namespace wq::sync

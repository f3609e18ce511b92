// Export (`weiquan export`): every record of a store as JSON lines, in this order —
//   {"type":"certificate","node":ID,"issuer":ID,"body":B64,"signature":B64}
//   {"type":"revocation","node":ID,"issuer":ID,"body":B64,"signature":B64}
//   {"type":"event","ticket":ID,"seq":N,"signer":ID,"body":B64,"signature":B64}
// certificates by level, node id and serial (every issuer before what it issued), then revocations,
// then events by ticket id and seq. B64 is standard base64 with padding of the exact signed bytes.
// docs/protocol.md specifies the bytes; an export can be checked without this code.
//
// Thread safety: uses the given reader only. Failure codes: sync.db, sync.io (the stream failed),
// sync.malformed (parse_export_line: not a valid line).
#pragma once

#include <iosfwd>
#include <string>
#include <string_view>

#include "weiquan/result.h"
#include "weiquan/sync/record.h"
#include "weiquan/sync/store.h"

namespace wq::sync {

inline constexpr std::size_t kMaxExportLineBytes = 512 * 1024;

// One JSON line (without the newline) for a record.
std::string export_line(const Record& record);

// Parses one line written by export_line. Refuses lines over kMaxExportLineBytes, unknown "type"
// values, missing or ill-typed members and bad base64.
Result<Record> parse_export_line(std::string_view line);

// Writes every record of the store to `out`, one line each.
Status export_store(const StoreReader& reader, std::ostream& out);

}  // namespace wq::sync

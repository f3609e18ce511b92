// Verify: an independent audit of a store or of an export against the national anchor key.
//
// Checks, without trusting anything stored beside the signed bytes: every certificate decodes, is
// signed by its issuer and chains to the anchor (levels, regions, validity, revocations, as
// crypto::TrustStore does); every revocation is signed by the issuer of what it revokes; every
// event decodes, matches the ticket and seq it is filed under, is signed by its author's key under
// a certificate chain valid at the event's own time, starts at seq 1 and links to its predecessor
// (seq = previous + 1, prev_hash = BLAKE2b-256 of the previous body). It stops at the FIRST broken
// record and names it: a certificate or revocation by node id (and serial), an event by ticket and
// seq, with the reason's error code and message.
//
// Thread safety: uses the given reader or stream only.
// Failure codes (of the Result, not of the report): sync.db, sync.io — the input could not be read.
// A broken record is a successful Result whose report has `ok() == false`.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

#include "weiquan/crypto/bytes.h"
#include "weiquan/result.h"
#include "weiquan/sync/record.h"
#include "weiquan/sync/store.h"

namespace wq::sync {

struct BrokenRecord {
  RecordType type = RecordType::event;
  std::string node_id;       // certificate, revocation
  std::uint64_t serial = 0;  // certificate, revocation (0 if the body did not decode)
  std::string ticket_id;     // event
  std::uint64_t seq = 0;     // event
  std::uint64_t line = 0;    // 1-based line of an export; 0 for a store
  Error reason;
};

struct VerifyReport {
  std::uint64_t certificates = 0;  // records checked and found good
  std::uint64_t revocations = 0;
  std::uint64_t tickets = 0;
  std::uint64_t events = 0;
  std::optional<BrokenRecord> broken;  // the first bad record; checking stopped there

  bool ok() const { return !broken.has_value(); }
  // One line for a person: "ok: 3 certificates, ..." or "event 440305-20261122-000001 seq 4: ...".
  std::string summary() const;
};

Result<VerifyReport> verify_store(const StoreReader& reader, const crypto::PublicKey& anchor_key,
                                  std::string_view anchor_id = "cn");

// An export stream (JSON lines); the records must come in export order.
Result<VerifyReport> verify_export(std::istream& in, const crypto::PublicKey& anchor_key,
                                   std::string_view anchor_id = "cn");

}  // namespace wq::sync

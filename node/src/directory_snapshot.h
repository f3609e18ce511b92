// DirectorySnapshot: the node certificates this node trusts, as a snapshot the I/O threads can
// read while the writer thread (which owns the store's TrustStore) adds to it. Intake uses it to
// route a new ticket to the office with jurisdiction (federation::Directory) and to seal the
// consumer's personal data for that office.
//
// Threads: publish() from the writer thread whenever certificates or revocations change;
// competent_office() and trust() from any thread (they read one immutable snapshot).
// Failure codes: federation.no_jurisdiction, crypto.* of the office's certificate chain.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "weiquan/crypto/certificate.h"
#include "weiquan/crypto/keys.h"
#include "weiquan/result.h"

namespace wq::node {

struct Office {
  std::string node_id;
  crypto::PublicKey box_key{};  // seals personal data for it
};

class DirectorySnapshot {
 public:
  // Replaces the snapshot with a copy of `trust`.
  void publish(const crypto::TrustStore& trust);

  // The deepest office this node trusts at `at_ms` whose region contains `region`.
  Result<Office> competent_office(std::string_view region, std::int64_t at_ms) const;

  // The certificates as last published (null before the first publish()), e.g. to walk a node's
  // chain of issuers or list the offices an office issued.
  std::shared_ptr<const crypto::TrustStore> trust() const { return trust_.load(); }

 private:
  std::atomic<std::shared_ptr<const crypto::TrustStore>> trust_;
};

}  // namespace wq::node

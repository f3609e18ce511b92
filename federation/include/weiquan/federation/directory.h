// The node directory: every node certificate this node knows, and jurisdiction lookup over them.
//
// `Directory` answers "which deployed node has jurisdiction over region R": the node with the
// deepest region that contains R among nodes whose certificate chain verifies at the given time.
// Replicas of one office ("110101-2") share the region; the lowest node id wins so every node picks
// the same one.
//
// Thread safety: not synchronised; one owner. Failure codes: federation.no_jurisdiction (no trusted
// node contains the region), plus the crypto.* codes of TrustStore::verify_chain.
#pragma once

#include <cstdint>
#include <string>

#include "weiquan/crypto/certificate.h"

namespace wq::federation {

class Directory {
 public:
  explicit Directory(const crypto::TrustStore& trust) : trust_(trust) {}

  Result<std::string> jurisdiction_for(std::string_view region, std::int64_t at_ms) const;

 private:
  const crypto::TrustStore& trust_;
};

}  // namespace wq::federation

#include "weiquan/federation/directory.h"

namespace wq::federation {

Result<std::string> Directory::jurisdiction_for(std::string_view region, std::int64_t at_ms) const {
  const crypto::Certificate* best = nullptr;
  for (const crypto::SignedCertificate* signed_cert : trust_.certificates()) {
    const crypto::Certificate& cert = signed_cert->cert;
    if (!crypto::region_contains(cert.region, region)) continue;
    if (!trust_.verify_chain(cert.node_id, at_ms)) continue;
    const bool deeper = best == nullptr || cert.level > best->level;
    const bool same_depth_lower_id =
        best != nullptr && cert.level == best->level && cert.node_id < best->node_id;
    if (deeper || same_depth_lower_id) best = &cert;
  }
  if (best == nullptr) {
    return make_error("federation.no_jurisdiction",
                      "no trusted node serves region " + std::string(region));
  }
  return best->node_id;
}

}  // namespace wq::federation

#include "directory_snapshot.h"

#include "weiquan/federation/directory.h"

namespace wq::node {

void DirectorySnapshot::publish(const crypto::TrustStore& trust) {
  trust_.store(std::make_shared<const crypto::TrustStore>(trust));
}

Result<Office> DirectorySnapshot::competent_office(std::string_view region,
                                                   std::int64_t at_ms) const {
  const std::shared_ptr<const crypto::TrustStore> trust = trust_.load();
  if (!trust) {
    return make_error("federation.no_jurisdiction", "this node's directory is not loaded yet");
  }
  auto node_id = federation::Directory(*trust).jurisdiction_for(region, at_ms);
  if (!node_id) return node_id.error();
  auto cert = trust->verify_chain(*node_id, at_ms);
  if (!cert) return cert.error();
  return Office{std::move(*node_id), (*cert)->cert.box_key};
}

}  // namespace wq::node

#include <algorithm>

#include "weiquan/crypto/key_file.h"
#include "weiquan/crypto/random.h"
#include "weiquan/node/commands.h"
#include "weiquan/sync/certificate_codec.h"
#include "weiquan/sync/node_id.h"

namespace wq::node {

namespace {

constexpr std::int64_t kClockSkewMs = 10LL * 60 * 1000;

Status check_child_fits(const NodeConfig& parent, const CertificateRequest& child) {
  if (child.level <= parent.level) {
    return make_error("node.level_mismatch",
                      std::string("a ") + std::string(crypto::level_name(parent.level)) +
                          " node cannot enrol a " + std::string(crypto::level_name(child.level)) +
                          " node: the child must be at a deeper level");
  }
  if (!crypto::region_contains(parent.region, child.region)) {
    return make_error("node.not_parent", "region " + child.region + " is not inside " +
                                             parent.region + ", the parent's region");
  }
  if (sync::node_region(child.node_id) != child.region) {
    return make_error("node.request_invalid",
                      "node id " + child.node_id + " does not name region " + child.region);
  }
  return {};
}

// Every certificate the parent knows, issuers before what they issued, so that the child's trust
// store can add them in order.
std::vector<crypto::SignedCertificate> by_level(std::vector<crypto::SignedCertificate> certs) {
  std::stable_sort(certs.begin(), certs.end(),
                   [](const auto& a, const auto& b) { return a.cert.level < b.cert.level; });
  return certs;
}

}  // namespace

Result<EnrollResult> enroll_node(const NodeDir& parent, const NodeDir& child, std::int64_t now_ms,
                                 std::int64_t validity_ms) {
  auto parent_config = load_config(parent);
  if (!parent_config) return parent_config.error();
  auto request = load_request(child);
  if (!request) return request.error();
  auto child_config = load_config(child);
  if (!child_config) return child_config.error();
  if (child_config->node_id != request->node_id) {
    return make_error("node.request_invalid",
                      "certificate-request.json and config.json name different nodes");
  }
  if (auto fits = check_child_fits(*parent_config, *request); !fits) return fits.error();

  auto parent_keys = crypto::read_key_file(parent.key_path());
  if (!parent_keys) return parent_keys.error();
  auto parent_store = open_store(parent, *parent_config);
  if (!parent_store) return parent_store.error();
  auto parent_cert = parent_store->trust().verify_chain(parent_config->node_id, now_ms);
  if (!parent_cert) return parent_cert.error();
  if ((*parent_cert)->cert.sign_key != parent_keys->sign.public_key) {
    return make_error("node.key_mismatch", "the parent's node.key does not match its certificate");
  }

  crypto::Certificate cert;
  cert.node_id = request->node_id;
  cert.level = request->level;
  cert.region = request->region;
  cert.sign_key = request->sign_key;
  cert.box_key = request->box_key;
  cert.not_before_ms = now_ms - kClockSkewMs;
  // A certificate never outlives the one that vouches for it.
  cert.not_after_ms = std::min(now_ms + validity_ms, (*parent_cert)->cert.not_after_ms);
  cert.serial = crypto::random_u64() >> 1;
  cert.issuer = parent_config->node_id;
  auto issued = sync::issue_certificate(cert, parent_keys->sign);
  if (!issued) return issued.error();
  if (auto added = parent_store->add_certificate(*issued); !added) return added.error();

  auto known = parent_store->reader().certificates();
  if (!known) return known.error();
  child_config->anchor_hex = parent_config->anchor_hex;
  auto child_store = open_store(child, *child_config);
  if (!child_store) return child_store.error();
  const auto chain = by_level(std::move(*known));
  for (const crypto::SignedCertificate& signed_cert : chain) {
    if (auto added = child_store->add_certificate(signed_cert); !added) return added.error();
  }
  if (auto saved = save_config(child, *child_config); !saved) return saved.error();
  return EnrollResult{issued->cert, chain.size()};
}

}  // namespace wq::node

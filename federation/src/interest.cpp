#include "weiquan/federation/interest.h"

#include <algorithm>

namespace wq::federation {

std::vector<std::string> chain_of(const crypto::TrustStore& trust, std::string_view node_id,
                                  std::int64_t at_ms) {
  std::vector<std::string> chain;
  std::string current(node_id);
  while (chain.size() < crypto::TrustStore::kMaxChainLength) {
    auto cert = trust.verify_chain(current, at_ms);
    if (!cert) return {};
    chain.push_back(current);
    if ((*cert)->cert.issuer == current) return chain;  // the self-signed national certificate
    current = (*cert)->cert.issuer;
  }
  return {};  // verify_chain bounds chains, so this is not reached
}

std::vector<std::string> interest_set(const sync::Ticket& after, const crypto::TrustStore& trust,
                                      std::string_view self, std::int64_t at_ms) {
  std::vector<std::string> members{after.intake_node, after.holder};
  members.insert(members.end(), after.holders.begin(), after.holders.end());
  std::vector<std::string> nodes;
  for (const std::string& member : members) {
    if (member.empty()) continue;
    for (std::string& node : chain_of(trust, member, at_ms)) nodes.push_back(std::move(node));
  }
  std::sort(nodes.begin(), nodes.end());
  nodes.erase(std::unique(nodes.begin(), nodes.end()), nodes.end());
  std::erase(nodes, std::string(self));
  return nodes;
}

}  // namespace wq::federation

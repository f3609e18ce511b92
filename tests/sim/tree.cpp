#include "tree.h"

#include <string>

#include "node_certificates.h"
#include "weiquan/crypto/hash.h"
#include "weiquan/policies/regions.h"

namespace wq::sim {
namespace {

// 32 bytes for one key of one node, from the run's seed.
crypto::Hash key_seed(std::uint64_t seed, const std::string& node_id, std::string_view purpose) {
  const std::string material =
      "weiquan-sim/" + std::to_string(seed) + "/" + node_id + "/" + std::string(purpose);
  return crypto::blake2b_256(crypto::as_bytes(material));
}

crypto::NodeKeys node_keys(std::uint64_t seed, const std::string& node_id) {
  const crypto::Hash sign = key_seed(seed, node_id, "sign");
  const crypto::Hash box = key_seed(seed, node_id, "box");
  return {crypto::SigningKeyPair::from_seed(sign), crypto::BoxKeyPair::from_secret(box)};
}

class Builder {
 public:
  Builder(std::uint64_t seed, std::vector<TreeNode>& nodes) : seed_(seed), nodes_(nodes) {}

  Status add_anchor() {
    TreeNode node;
    node.id = "cn";
    node.keys = node_keys(seed_, node.id);
    auto cert = testing::anchor_certificate(node.keys);
    if (!cert) return cert.error();
    node.cert = std::move(*cert);
    nodes_.push_back(std::move(node));
    return {};
  }

  // Adds `region` under node `parent`, then everything below it down to counties.
  Status add(const policies::Region& region, std::size_t parent) {
    const std::size_t index = nodes_.size();
    TreeNode node;
    node.id = std::string(region.code);
    node.level = region.level;
    node.parent = parent;
    node.keys = node_keys(seed_, node.id);
    auto issued = testing::node_certificate(node.id, node.level, node.keys, nodes_[parent].id,
                                            nodes_[parent].keys.sign);
    if (!issued) return issued.error();
    node.cert = std::move(*issued);
    nodes_.push_back(std::move(node));
    if (nodes_[index].level != crypto::Level::county) {
      for (const policies::Region& child : policies::RegionTable::builtin().children(region.code)) {
        if (Status ok = add(child, index); !ok) return ok;
      }
    }
    nodes_[index].subtree_end = nodes_.size();
    return {};
  }

 private:
  std::uint64_t seed_;
  std::vector<TreeNode>& nodes_;
};

}  // namespace

Result<Tree> Tree::build(std::uint64_t seed, std::size_t provinces) {
  const auto all = policies::RegionTable::builtin().children(policies::kNationalRegion);
  if (provinces > all.size()) {
    return make_error("sim.bad_scale", "the region table has " + std::to_string(all.size()) +
                                           " provinces, not " + std::to_string(provinces));
  }
  if (provinces == 0) provinces = all.size();
  Tree tree;
  Builder builder(seed, tree.nodes_);
  if (Status ok = builder.add_anchor(); !ok) return ok.error();
  for (std::size_t i = 0; i < provinces; ++i) {
    if (Status ok = builder.add(all[i], 0); !ok) return ok.error();
  }
  tree.nodes_.front().subtree_end = tree.nodes_.size();
  for (std::size_t i = 0; i < tree.nodes_.size(); ++i) {
    tree.by_id_.emplace(tree.nodes_[i].id, i);
    if (tree.nodes_[i].level == crypto::Level::county) tree.counties_.push_back(i);
  }
  return tree;
}

std::size_t Tree::find(std::string_view id) const {
  const auto it = by_id_.find(id);
  return it == by_id_.end() ? nodes_.size() : it->second;
}

std::size_t Tree::count(crypto::Level level) const {
  std::size_t n = 0;
  for (const TreeNode& node : nodes_) n += node.level == level ? 1 : 0;
  return n;
}

std::vector<std::size_t> Tree::chain(std::size_t index) const {
  std::vector<std::size_t> out{index};
  while (index != 0) {
    index = nodes_[index].parent;
    out.push_back(index);
  }
  return out;
}

}  // namespace wq::sim

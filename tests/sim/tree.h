// Tree: the simulated federation — the national node and, from the region table built into this
// binary (data/regions.tsv), every province, city and county below it, or only the first
// `provinces` provinces in code order with everything under them. Each node has key pairs derived
// from the run's seed and a certificate issued by its parent (the national one self-signed by the
// trust anchor), valid from 2020 to 2040.
//
// Nodes are numbered depth first from the national node (0), so a node's subtree is the range of
// numbers from itself to subtree_end(). The tree is also the simulator's independent answer to
// "who are a node's ancestors": the invariants use it rather than the code under test.
//
// Ownership: the tree owns its nodes; references to them stay valid for its lifetime.
// Thread safety: immutable after build(); may be shared.
// Failure codes: those of sync::issue_certificate and sync::issue_anchor_certificate (not expected
// for the built-in table), and sim.bad_scale when `provinces` exceeds the table's.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "weiquan/crypto/certificate.h"
#include "weiquan/crypto/keys.h"
#include "weiquan/result.h"

namespace wq::sim {

struct TreeNode {
  std::string id;  // the region code; "cn" for the national node
  crypto::Level level = crypto::Level::national;
  std::size_t parent = 0;       // the national node is its own parent
  std::size_t subtree_end = 0;  // one past the last node below this one
  crypto::NodeKeys keys;
  crypto::SignedCertificate cert;
};

class Tree {
 public:
  // `provinces` == 0 takes all of them.
  static Result<Tree> build(std::uint64_t seed, std::size_t provinces);

  std::size_t size() const { return nodes_.size(); }
  const TreeNode& node(std::size_t index) const { return nodes_[index]; }
  // The node with this id, or size() when there is none.
  std::size_t find(std::string_view id) const;
  std::size_t count(crypto::Level level) const;
  const std::vector<std::size_t>& counties() const { return counties_; }
  const crypto::PublicKey& anchor() const { return nodes_.front().keys.sign.public_key; }

  // `index` and its ancestors, the national node last.
  std::vector<std::size_t> chain(std::size_t index) const;

 private:
  std::vector<TreeNode> nodes_;
  std::map<std::string, std::size_t, std::less<>> by_id_;
  std::vector<std::size_t> counties_;
};

}  // namespace wq::sim

// Administrative trees for FederationFixture, shared by the federation integration tests: the
// Beijing chain from the national node down to one county, the same with a chain in Guangdong, and
// a way to add a node or two to either. Parents come before their children, as the fixture needs.
//
// Ownership: constant values. Thread safety: read-only after static initialization (a test file's
// own trees built from these are initialized after them). Failure: none.
#pragma once

#include <initializer_list>
#include <vector>

#include "federation_fixture.h"

namespace wq::testing {

// `tree` and then `more`, each of `more` after its parent.
inline std::vector<NodeSpec> extended(std::vector<NodeSpec> tree,
                                      std::initializer_list<NodeSpec> more) {
  tree.insert(tree.end(), more);
  return tree;
}

// cn ─ 11 ─ 1101 ─ 110101
inline const std::vector<NodeSpec> kBeijingChain = {{"cn", "national", ""},
                                                    {"11", "province", "cn"},
                                                    {"1101", "city", "11"},
                                                    {"110101", "county", "1101"}};

// cn ─ 11 ─ 1101 ─ 110101 and cn ─ 44 ─ 4403 ─ 440305. Started in this order, the Shenzhen
// county's first directory refresh already finds the Beijing county at the national node.
inline const std::vector<NodeSpec> kTwoProvinces =
    extended(kBeijingChain,
             {{"44", "province", "cn"}, {"4403", "city", "44"}, {"440305", "county", "4403"}});

}  // namespace wq::testing

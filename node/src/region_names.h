// Checks that a region code is real and fits the level a node is created at, and names it.
#pragma once

#include <string>

#include "weiquan/crypto/certificate.h"
#include "weiquan/result.h"

namespace wq::node {

// The region's name ("南山区"; "全国" for "cn"), or node.bad_region / node.level_mismatch.
Result<std::string> describe_region(crypto::Level level, std::string_view region);

}  // namespace wq::node

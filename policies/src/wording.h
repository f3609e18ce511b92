// Private to policies/: small helpers for error messages a person reads.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace wq::policies::detail {

// 'name'
std::string in_quotes(std::string_view name);

// "a", "a or b", "a, b or c"
std::string one_of(const std::vector<std::string>& names);

}  // namespace wq::policies::detail

// The query string of a request (`a=1&b=x%20y`) as a map: percent-decoded, '+' read as a space,
// at most 20 parameters, each name once.
//
// Thread safety: pure function. Failure codes: node.bad_query.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "weiquan/result.h"

namespace wq::node::http {

using QueryParams = std::map<std::string, std::string, std::less<>>;

Result<QueryParams> parse_query(std::string_view query);

}  // namespace wq::node::http

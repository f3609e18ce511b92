#include "query_params.h"

#include <optional>

namespace wq::node::http {
namespace {

constexpr std::size_t kMaxParams = 20;

std::optional<int> hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return std::nullopt;
}

Result<std::string> decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out.push_back(' ');
    } else if (text[i] != '%') {
      out.push_back(text[i]);
    } else {
      const auto high = i + 2 < text.size() ? hex_value(text[i + 1]) : std::nullopt;
      const auto low = i + 2 < text.size() ? hex_value(text[i + 2]) : std::nullopt;
      if (!high || !low) {
        return make_error("node.bad_query", "bad percent-encoding in the query string");
      }
      out.push_back(static_cast<char>(*high * 16 + *low));
      i += 2;
    }
  }
  return out;
}

}  // namespace

Result<QueryParams> parse_query(std::string_view query) {
  QueryParams params;
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const std::size_t eq = pair.find('=');
    auto name = decode(pair.substr(0, eq));
    if (!name) return name.error();
    auto value = decode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
    if (!value) return value.error();
    if (params.size() == kMaxParams) {
      return make_error("node.bad_query", "more than 20 query parameters");
    }
    if (!params.emplace(std::move(*name), std::move(*value)).second) {
      return make_error("node.bad_query", "a query parameter is given twice");
    }
  }
  return params;
}

}  // namespace wq::node::http

#include "disclosure_routes.h"

#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

#include "api_errors.h"
#include "query_params.h"
#include "stats_request.h"

namespace wq::node::http {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxQueryCharacters = 50;
constexpr std::size_t kDefaultLimit = 20;
constexpr std::size_t kMaxLimit = 100;
constexpr std::size_t kMaxOffset = 100'000;

struct Page {
  std::string q;
  std::size_t limit = kDefaultLimit;
  std::size_t offset = 0;
};

Error bad(const std::string& message) {
  return make_error("node.bad_query", message);
}

Result<std::size_t> number(const QueryParams& params, std::string_view name, std::size_t fallback,
                           std::size_t min, std::size_t max) {
  const auto it = params.find(name);
  if (it == params.end()) return fallback;
  std::size_t value = 0;
  const std::string& text = it->second;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < min ||
      value > max) {
    return bad(std::string(name) + ": a whole number from " + std::to_string(min) + " to " +
               std::to_string(max));
  }
  return value;
}

std::size_t utf8_characters(std::string_view text) {
  std::size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

// Takes q, limit and offset out of `params`, leaving what the statistics query reads.
Result<Page> take_page(QueryParams& params) {
  for (const auto& [name, value] : params) {
    if (name != "region" && name != "from" && name != "to" && name != "q" && name != "limit" &&
        name != "offset") {
      return bad("unknown query parameter " + name.substr(0, 40) +
                 " (region, from, to, q, limit, offset)");
    }
  }
  Page page;
  auto limit = number(params, "limit", kDefaultLimit, 1, kMaxLimit);
  if (!limit) return limit.error();
  auto offset = number(params, "offset", 0, 0, kMaxOffset);
  if (!offset) return offset.error();
  page.limit = *limit;
  page.offset = *offset;
  if (auto it = params.find("q"); it != params.end()) {
    page.q = it->second;
    if (utf8_characters(page.q) > kMaxQueryCharacters) {
      return bad("q: at most " + std::to_string(kMaxQueryCharacters) + " characters");
    }
  }
  for (std::string_view name : {"q", "limit", "offset"}) {
    if (auto it = params.find(name); it != params.end()) params.erase(it);
  }
  return page;
}

json rate(const std::optional<double>& value) {
  return value ? json(std::round(*value * 10'000) / 10'000) : json(nullptr);
}

std::string day_text(std::uint32_t d) {
  char text[16];
  std::snprintf(text, sizeof text, "%04u-%02u-%02u", d / 10000, (d / 100) % 100, d % 100);
  return text;
}

Response disclosure_error(const Error& error) {
  if (error.code == "node.outside_subtree" || error.code == "sync.bad_stats_query") {
    return error_response(400, error.code, error.message);
  }
  return error_reply(error);
}

Response list_businesses(const ApiContext& context, DisclosureCache& cache,
                         const Request& request) {
  const std::int64_t now = context.now_ms();
  auto params = parse_query(request.query);
  if (!params) return disclosure_error(params.error());
  auto page = take_page(*params);
  if (!page) return disclosure_error(page.error());
  auto parsed = parse_stats_request(*params, context.config, context.regions, now);
  if (!parsed) return disclosure_error(parsed.error());
  const sync::StatsQuery& query = parsed->query;
  auto list = cache.get(query.region, query.from_day, query.to_day, now);
  if (!list) return disclosure_error(list.error());
  json businesses = json::array();
  std::size_t matching = 0;
  for (const DisclosedBusiness& b : (*list)->businesses) {
    if (!page->q.empty() && b.name.find(page->q) == std::string::npos &&
        !b.uscc.starts_with(page->q)) {
      continue;
    }
    if (matching++ < page->offset || businesses.size() >= page->limit) continue;
    businesses.push_back({{"uscc", b.uscc},
                          {"name", b.name},
                          {"closed_disclosed", b.closed_disclosed},
                          {"mediation_success_rate", rate(b.mediation_success_rate)},
                          {"settlement_rate", rate(b.settlement_rate)}});
  }
  Response response = json_response(200, {{"region", query.region},
                                          {"from", day_text(query.from_day)},
                                          {"to", day_text(query.to_day)},
                                          {"as_of_ms", (*list)->computed_at_ms},
                                          {"total", matching},
                                          {"offset", page->offset},
                                          {"limit", page->limit},
                                          {"businesses", std::move(businesses)}});
  response.headers.emplace_back("Cache-Control", "public, max-age=300");
  return response;
}

}  // namespace

void add_disclosure_routes(Router& router, const ApiContext& context, DisclosureCache& cache) {
  router.add_sync("GET", "/api/v1/public/businesses", [&context, &cache](const Request& request) {
    return list_businesses(context, cache, request);
  });
}

}  // namespace wq::node::http

#include "router.h"

#include <algorithm>
#include <exception>
#include <nlohmann/json.hpp>

namespace wq::node::http {

namespace {

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> segments;
  std::size_t start = path.empty() || path.front() != '/' ? 0 : 1;
  while (start <= path.size()) {
    const std::size_t slash = std::min(path.find('/', start), path.size());
    segments.emplace_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return segments;
}

bool is_placeholder(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
           return lower(x) == lower(y);
         });
}

}  // namespace

std::string_view Request::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) return value;
  }
  return {};
}

Response json_response(unsigned status, const nlohmann::json& body) {
  Response response;
  response.status = status;
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

Response error_response(unsigned status, std::string_view code, std::string_view message) {
  return json_response(status, {{"error", {{"code", code}, {"message", message}}}});
}

void Router::add(std::string method, std::string pattern, Handler handler) {
  auto segments = split_path(pattern);
  routes_.push_back(
      Route{std::move(method), std::move(pattern), std::move(segments), std::move(handler)});
}

void Router::add_sync(std::string method, std::string pattern, SyncHandler handler) {
  add(std::move(method), std::move(pattern),
      [handler = std::move(handler)](const Request& request, Reply reply) {
        reply(handler(request));
      });
}

std::string_view Router::dispatch(Request& request, const Reply& reply) const {
  const auto segments = split_path(request.path);
  std::string allowed;
  for (const Route& route : routes_) {
    if (route.segments.size() != segments.size()) continue;
    std::map<std::string, std::string, std::less<>> params;
    bool match = true;
    for (std::size_t i = 0; match && i < segments.size(); ++i) {
      if (is_placeholder(route.segments[i]) && !segments[i].empty()) {
        params[route.segments[i].substr(1, route.segments[i].size() - 2)] = segments[i];
      } else {
        match = route.segments[i] == segments[i];
      }
    }
    if (!match) continue;
    if (route.method != request.method) {
      allowed += allowed.empty() ? route.method : ", " + route.method;
      continue;
    }
    request.params = std::move(params);
    try {
      route.handler(request, reply);
    } catch (const std::exception& e) {
      reply(error_response(500, "http.internal", std::string("internal error: ") + e.what()));
    }
    return route.pattern;
  }
  if (!allowed.empty()) {
    Response response = error_response(
        405, "http.method_not_allowed",
        request.method + " is not allowed on " + request.path + " (allowed: " + allowed + ")");
    response.headers.emplace_back("Allow", allowed);
    reply(std::move(response));
  } else {
    reply(error_response(404, "http.not_found", "no endpoint at " + request.path));
  }
  return "unmatched";
}

}  // namespace wq::node::http

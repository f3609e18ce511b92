// Router: maps (method, path) to the handler of an HTTP API endpoint.
//
// Handlers see a parsed Request and answer with a Response value through a Reply callback, exactly
// once, from any thread; a handler that needs the store posts its work to the writer thread
// (store_writer.h) and replies from there. Patterns are literal paths whose segments may be
// `{name}` placeholders (`/api/v1/tickets/{id}`); the values land in Request::params.
//
// Requests for a path no route matches get 404 http.not_found; a path that matches with another
// method gets 405 http.method_not_allowed and an Allow header; a handler that throws gets 500
// http.internal. Errors are JSON {"error": {"code", "message"}} (docs/api.md).
//
// Thread safety: routes are added before the server starts; afterwards the router is read-only and
// dispatch may run on any thread.
#pragma once

#include <functional>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wq::node::http {

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // as sent: path and query
  std::string path;    // target up to '?'
  std::string query;   // after '?', without it
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::map<std::string, std::string, std::less<>> params;  // {name} segments of the route

  // The first header of that name (case-insensitive), empty when absent.
  std::string_view header(std::string_view name) const;
};

struct Response {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
};

Response json_response(unsigned status, const nlohmann::json& body);
// {"error": {"code": code, "message": message}}
Response error_response(unsigned status, std::string_view code, std::string_view message);

using Reply = std::function<void(Response)>;
using Handler = std::function<void(const Request&, Reply)>;
using SyncHandler = std::function<Response(const Request&)>;

class Router {
 public:
  void add(std::string method, std::string pattern, Handler handler);
  void add_sync(std::string method, std::string pattern, SyncHandler handler);

  // Calls the handler for `request` (filling its params), or replies with a 404/405 error. Returns
  // the matched pattern, "unmatched" otherwise: a bounded label for metrics.
  std::string_view dispatch(Request& request, const Reply& reply) const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;
  };
  std::vector<Route> routes_;
};

}  // namespace wq::node::http

// HttpMetrics: the node's Prometheus registry and the HTTP server's instruments, served by
// GET /metrics in the Prometheus text format (0.0.4).
//
//   weiquan_http_requests_total{route,method,status}   counter: requests answered
//   weiquan_http_request_duration_seconds{route}        histogram: from request read to response
//   weiquan_http_open_connections                       gauge: connections being served
//   weiquan_http_rejected_connections_total             counter: turned away with 503 (overload)
//
// `route` is the matched route pattern or "unmatched", never the raw path, so label sets stay
// bounded. Thread safety: every member may be called from any thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace prometheus {
class Registry;
}

namespace wq::node::http {

inline constexpr std::string_view kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

class HttpMetrics {
 public:
  HttpMetrics();
  ~HttpMetrics();
  HttpMetrics(const HttpMetrics&) = delete;
  HttpMetrics& operator=(const HttpMetrics&) = delete;

  void request_done(std::string_view route, std::string_view method, unsigned status,
                    double seconds);
  void connection_opened();
  void connection_closed();
  void connection_rejected();

  // Every metric of the registry in the text exposition format.
  std::string render() const;

  // For other parts of the node that add their own metrics.
  prometheus::Registry& registry();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wq::node::http

#include "metrics.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

namespace wq::node::http {

namespace {

std::string_view method_label(std::string_view method) {
  for (std::string_view known : {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}) {
    if (method == known) return known;
  }
  return "other";
}

}  // namespace

struct HttpMetrics::Impl {
  std::shared_ptr<prometheus::Registry> registry = std::make_shared<prometheus::Registry>();
  prometheus::Family<prometheus::Counter>& requests =
      prometheus::BuildCounter()
          .Name("weiquan_http_requests_total")
          .Help("HTTP requests answered, by route pattern, method and status")
          .Register(*registry);
  prometheus::Family<prometheus::Histogram>& latency =
      prometheus::BuildHistogram()
          .Name("weiquan_http_request_duration_seconds")
          .Help("Time from a request being read to its response being ready, by route pattern")
          .Register(*registry);
  prometheus::Gauge& open = prometheus::BuildGauge()
                                .Name("weiquan_http_open_connections")
                                .Help("HTTP connections being served")
                                .Register(*registry)
                                .Add({});
  prometheus::Counter& rejected =
      prometheus::BuildCounter()
          .Name("weiquan_http_rejected_connections_total")
          .Help("HTTP connections turned away with 503 because the server was at its bound")
          .Register(*registry)
          .Add({});
};

HttpMetrics::HttpMetrics() : impl_(std::make_unique<Impl>()) {}
HttpMetrics::~HttpMetrics() = default;

void HttpMetrics::request_done(std::string_view route, std::string_view method, unsigned status,
                               double seconds) {
  impl_->requests
      .Add({{"route", std::string(route)},
            {"method", std::string(method_label(method))},
            {"status", std::to_string(status)}})
      .Increment();
  static const prometheus::Histogram::BucketBoundaries buckets{
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
  impl_->latency.Add({{"route", std::string(route)}}, buckets).Observe(seconds);
}

void HttpMetrics::connection_opened() {
  impl_->open.Increment();
}
void HttpMetrics::connection_closed() {
  impl_->open.Decrement();
}
void HttpMetrics::connection_rejected() {
  impl_->rejected.Increment();
}

std::string HttpMetrics::render() const {
  return prometheus::TextSerializer().Serialize(impl_->registry->Collect());
}

prometheus::Registry& HttpMetrics::registry() {
  return *impl_->registry;
}

}  // namespace wq::node::http

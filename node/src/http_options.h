// HttpOptions: the bounds of the HTTP server (docs/api.md lists the defaults).
#pragma once

#include <chrono>
#include <cstddef>

namespace wq::node::http {

struct HttpOptions {
  std::size_t header_limit_bytes = 16 * 1024;         // request line and headers; beyond: 431
  std::size_t body_limit_bytes = 1024 * 1024;         // request body; beyond: 413
  std::size_t upload_limit_bytes = 10 * 1024 * 1024;  // body of POST .../evidence (files)
  std::size_t max_connections = 256;                // served at once; beyond: 503 with Retry-After
  std::chrono::milliseconds read_timeout{30'000};   // to receive a whole request (idle included)
  std::chrono::milliseconds write_timeout{30'000};  // to send a whole response
  std::chrono::milliseconds drain_timeout{5'000};   // at shutdown, for requests in flight
  unsigned retry_after_seconds = 1;                 // Retry-After of a 503
};

}  // namespace wq::node::http

// HttpServer: accepts TCP connections on one address and hands each to an HttpSession, within the
// bound on concurrent connections (beyond it a client gets 503 with Retry-After and a JSON error).
//
// stop() is the graceful shutdown: the acceptor closes, idle keep-alive connections close, requests
// in flight are answered (with Connection: close); when the last connection is gone, or at the
// drain timeout whatever remains is cut, `on_stopped` runs once.
//
// Threads: construct, listen and start on one thread before the io_context runs; stop() may be
// called from any thread. Exceptions from Asio stay inside: listen() returns a Result.
// Failure codes: node.listen_failed.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <functional>
#include <memory>
#include <string>

#include "connections.h"
#include "http_options.h"
#include "metrics.h"
#include "router.h"
#include "weiquan/result.h"

namespace wq::node::http {

class HttpServer {
 public:
  HttpServer(boost::asio::io_context& io, const Router& router, HttpMetrics& metrics,
             HttpOptions options);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens; port 0 picks a free port. Returns the bound endpoint.
  Result<boost::asio::ip::tcp::endpoint> listen(const boost::asio::ip::tcp::endpoint& endpoint);
  void start();
  void stop(std::function<void()> on_stopped);

 private:
  void accept();
  void reject(boost::asio::ip::tcp::socket socket);
  void finish();

  boost::asio::io_context& io_;
  const Router& router_;
  HttpMetrics& metrics_;
  HttpOptions options_;
  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer drain_timer_;
  std::shared_ptr<Connections> connections_ = std::make_shared<Connections>();
  std::shared_ptr<std::atomic<std::size_t>> rejecting_ =
      std::make_shared<std::atomic<std::size_t>>(0);  // 503s being written
  bool stopped_ = false;                              // on strand_
  std::function<void()> on_stopped_;
};

// Parses "HOST:PORT" ("127.0.0.1:8080", "[::1]:0"); the host must be an IP address.
// Failure codes: node.bad_listen_address.
Result<boost::asio::ip::tcp::endpoint> parse_listen_address(const std::string& text);

// "http://127.0.0.1:8080"
std::string endpoint_url(const boost::asio::ip::tcp::endpoint& endpoint);

}  // namespace wq::node::http

// HttpSession: one accepted TCP connection, serving HTTP/1.1 requests one after another
// (keep-alive) until the client closes, a bound is hit, or the server stops.
//
// Each request is read with the header and body limits of HttpOptions and within the read timeout
// (which also bounds how long an idle keep-alive connection is kept); a request that breaks a limit
// or does not parse gets its JSON error (400, 413, 431) and the connection is closed. A parsed
// request goes to the Router; the session resumes on its own strand when the handler replies.
//
// Threads: every member runs on the session's strand; stop() and abort() may be called from any
// thread (they post). The session keeps itself alive through shared_from_this while an operation
// is pending; it unregisters from its Connections when destroyed.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>

#include "connections.h"
#include "http_options.h"
#include "metrics.h"
#include "router.h"

namespace wq::node::http {

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(boost::asio::ip::tcp::socket&& socket, const Router& router, HttpMetrics& metrics,
              const HttpOptions& options, std::shared_ptr<Connections> connections,
              std::uint64_t id);
  ~HttpSession();

  void start();
  // Graceful: a connection waiting for its next request closes now; one in the middle of a request
  // answers it with Connection: close and then closes.
  void stop();
  // Immediate: closes the socket whatever it is doing.
  void abort();

 private:
  enum class State { reading, handling, writing, closed };

  void read_request();
  void on_header(boost::beast::error_code ec);
  void on_read(boost::beast::error_code ec);
  void handle(boost::beast::http::request<boost::beast::http::string_body> message);
  void send(Response response, bool keep_alive);
  void on_write(boost::beast::error_code ec, bool keep_alive);
  void close();

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  const Router& router_;
  HttpMetrics& metrics_;
  const HttpOptions& options_;
  std::shared_ptr<Connections> connections_;
  std::uint64_t id_;
  State state_ = State::reading;
  std::size_t body_limit_ = 0;  // of the request being read
  bool stopping_ = false;
  unsigned version_ = 11;
  std::string route_;
  std::string method_;
  std::chrono::steady_clock::time_point started_;
  std::shared_ptr<void> response_;  // the message being written
};

}  // namespace wq::node::http

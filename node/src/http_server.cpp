#include "http_server.h"

#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/system/system_error.hpp>
#include <charconv>

#include "http_session.h"

namespace wq::node::http {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

// Writes a 503 without reading the request, then lingers briefly so the client reads the answer
// before the connection closes.
struct Rejection : std::enable_shared_from_this<Rejection> {
  Rejection(tcp::socket s, std::shared_ptr<std::atomic<std::size_t>> c)
      : socket(std::move(s)), timer(socket.get_executor()), count(std::move(c)) {}
  ~Rejection() { --*count; }

  void start(unsigned retry_after) {
    const std::string body =
        R"({"error":{"code":"http.overloaded","message":"the node is serving as many connections as it may; retry later"}})";
    text = "HTTP/1.1 503 Service Unavailable\r\nServer: weiquan/" WEIQUAN_VERSION
           "\r\nContent-Type: application/json\r\nRetry-After: " +
           std::to_string(retry_after) +
           "\r\nConnection: close\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
           body;
    timer.expires_after(std::chrono::seconds(2));
    timer.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (!ec) self->socket.close(ec);
    });
    asio::async_write(socket, asio::buffer(text),
                      [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                        if (ec) return self->done();
                        self->socket.shutdown(tcp::socket::shutdown_send, ec);
                        self->drain();
                      });
  }
  void drain() {
    socket.async_read_some(asio::buffer(scratch),
                           [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                             if (ec) return self->done();
                             self->drain();
                           });
  }
  void done() {
    boost::system::error_code ignored;
    timer.cancel();
    socket.close(ignored);
  }

  tcp::socket socket;
  asio::steady_timer timer;
  std::shared_ptr<std::atomic<std::size_t>> count;
  std::string text;
  char scratch[1024];
};

}  // namespace

HttpServer::HttpServer(asio::io_context& io, const Router& router, HttpMetrics& metrics,
                       HttpOptions options)
    : io_(io),
      router_(router),
      metrics_(metrics),
      options_(options),
      strand_(asio::make_strand(io)),
      acceptor_(strand_),
      drain_timer_(strand_) {}

HttpServer::~HttpServer() {
  connections_->forget_listener();
}

Result<tcp::endpoint> HttpServer::listen(const tcp::endpoint& endpoint) {
  try {
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(asio::socket_base::max_listen_connections);
    return acceptor_.local_endpoint();
  } catch (const boost::system::system_error& e) {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    return make_error("node.listen_failed",
                      "cannot listen on " + endpoint_url(endpoint) + ": " + e.code().message());
  }
}

void HttpServer::start() {
  asio::dispatch(strand_, [this] { accept(); });
}

void HttpServer::accept() {
  acceptor_.async_accept(asio::make_strand(io_),
                         [this](boost::system::error_code ec, tcp::socket socket) {
                           if (stopped_ || !acceptor_.is_open()) return;
                           if (!ec) {
                             std::uint64_t id = 0;
                             if (connections_->try_reserve(options_.max_connections, id)) {
                               std::make_shared<HttpSession>(std::move(socket), router_, metrics_,
                                                             options_, connections_, id)
                                   ->start();
                             } else {
                               reject(std::move(socket));
                             }
                           }
                           accept();
                         });
}

void HttpServer::reject(tcp::socket socket) {
  metrics_.connection_rejected();
  if (*rejecting_ >= options_.max_connections) return;  // closing the socket is all we can afford
  ++*rejecting_;
  std::make_shared<Rejection>(std::move(socket), rejecting_)->start(options_.retry_after_seconds);
}

void HttpServer::stop(std::function<void()> on_stopped) {
  asio::dispatch(strand_, [this, on_stopped = std::move(on_stopped)]() mutable {
    if (stopped_) return;
    stopped_ = true;
    on_stopped_ = std::move(on_stopped);
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    for (const auto& session : connections_->live()) session->stop();
    drain_timer_.expires_after(options_.drain_timeout);
    drain_timer_.async_wait([this](boost::system::error_code ec) {
      if (ec) return;  // cancelled: every connection finished in time
      for (const auto& session : connections_->live()) session->abort();
      finish();
    });
    connections_->begin_stop([this] {
      asio::post(strand_, [this] {
        drain_timer_.cancel();
        finish();
      });
    });
  });
}

void HttpServer::finish() {
  if (!on_stopped_) return;
  auto done = std::move(on_stopped_);
  on_stopped_ = nullptr;
  done();
}

Result<tcp::endpoint> parse_listen_address(const std::string& text) {
  const auto bad = [&](const std::string& why) {
    return make_error("node.bad_listen_address",
                      "\"" + text + "\" is not HOST:PORT with an IP address: " + why);
  };
  const auto colon = text.rfind(':');
  if (colon == std::string::npos) return bad("no port");
  std::string host = text.substr(0, colon);
  const std::string port_text = text.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  unsigned port = 0;
  const auto [end, err] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || err != std::errc{} || end != port_text.data() + port_text.size() ||
      port > 65535) {
    return bad("the port must be 0..65535");
  }
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (ec) return bad("the host must be an IP address");
  return tcp::endpoint(address, static_cast<unsigned short>(port));
}

std::string endpoint_url(const tcp::endpoint& endpoint) {
  const auto address = endpoint.address();
  const std::string host = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
  return "http://" + host + ":" + std::to_string(endpoint.port());
}

}  // namespace wq::node::http

#include "http_session.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

namespace wq::node::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace asio = boost::asio;

HttpSession::HttpSession(asio::ip::tcp::socket&& socket, const Router& router, HttpMetrics& metrics,
                         const HttpOptions& options, std::shared_ptr<Connections> connections,
                         std::uint64_t id)
    : stream_(std::move(socket)),
      router_(router),
      metrics_(metrics),
      options_(options),
      connections_(std::move(connections)),
      id_(id) {
  metrics_.connection_opened();
}

HttpSession::~HttpSession() {
  metrics_.connection_closed();
  connections_->release(id_);
}

void HttpSession::start() {
  connections_->attach(id_, weak_from_this());
  asio::dispatch(stream_.get_executor(), [self = shared_from_this()] {
    self->stopping_ = self->connections_->stopping();
    self->read_request();
  });
}

void HttpSession::stop() {
  asio::post(stream_.get_executor(), [self = shared_from_this()] {
    self->stopping_ = true;
    // Waiting for a request that has not begun: nothing is in flight, close now.
    if (self->state_ == State::reading && self->buffer_.size() == 0 &&
        !(self->parser_ && self->parser_->got_some())) {
      self->close();
    }
  });
}

void HttpSession::abort() {
  asio::post(stream_.get_executor(), [self = shared_from_this()] { self->close(); });
}

void HttpSession::read_request() {
  if (stopping_) return close();
  state_ = State::reading;
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(options_.header_limit_bytes));
  stream_.expires_after(options_.read_timeout);
  bhttp::async_read_header(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
}

// The body limit depends on the endpoint: evidence uploads carry files, everything else JSON.
void HttpSession::on_header(beast::error_code ec) {
  if (state_ == State::closed) return;
  if (ec) return on_read(ec);
  const auto& header = parser_->get();
  const std::string_view target = header.target();
  const bool upload = header.method() == bhttp::verb::post &&
                      target.substr(0, target.find('?')).ends_with("/evidence");
  body_limit_ = upload ? options_.upload_limit_bytes : options_.body_limit_bytes;
  parser_->body_limit(body_limit_);
  bhttp::async_read(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code error, std::size_t) { self->on_read(error); });
}

void HttpSession::on_read(beast::error_code ec) {
  if (state_ == State::closed) return;
  if (!ec) return handle(parser_->release());
  started_ = std::chrono::steady_clock::now();
  route_ = "unmatched";
  method_.clear();
  if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
      ec == asio::error::operation_aborted || ec == asio::error::connection_reset ||
      ec == asio::error::eof) {
    return close();
  }
  if (ec == bhttp::error::body_limit) {
    return send(
        error_response(413, "http.payload_too_large",
                       "the request body is larger than " + std::to_string(body_limit_) + " bytes"),
        false);
  }
  if (ec == bhttp::error::header_limit) {
    return send(error_response(431, "http.header_too_large",
                               "the request line and headers are larger than " +
                                   std::to_string(options_.header_limit_bytes) + " bytes"),
                false);
  }
  if (ec.category() == bhttp::make_error_code(bhttp::error::body_limit).category() ||
      (parser_ && parser_->got_some())) {
    return send(error_response(400, "http.bad_request", "malformed HTTP request: " + ec.message()),
                false);
  }
  close();
}

void HttpSession::handle(bhttp::request<bhttp::string_body> message) {
  state_ = State::handling;
  started_ = std::chrono::steady_clock::now();
  version_ = message.version();
  const bool keep_alive = message.keep_alive();
  Request request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  const auto question = request.target.find('?');
  request.path = request.target.substr(0, question);
  if (question != std::string::npos) request.query = request.target.substr(question + 1);
  for (const auto& field : message) {
    request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  request.body = std::move(message.body());
  method_ = request.method;

  if (request.path.empty() || request.path.front() != '/') {
    route_ = "unmatched";
    return send(error_response(400, "http.bad_request", "the request target must be a path"),
                false);
  }
  auto self = shared_from_this();
  Reply reply = [self, keep_alive](Response response) {
    asio::post(self->stream_.get_executor(),
               [self, keep_alive, response = std::move(response)]() mutable {
                 self->send(std::move(response), keep_alive);
               });
  };
  route_ = std::string(router_.dispatch(request, reply));
}

void HttpSession::send(Response response, bool keep_alive) {
  if (state_ == State::closed || state_ == State::writing) return;
  state_ = State::writing;
  keep_alive = keep_alive && !stopping_;
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  metrics_.request_done(route_, method_, response.status, seconds);

  auto message = std::make_shared<bhttp::response<bhttp::string_body>>(
      static_cast<bhttp::status>(response.status), version_);
  message->set(bhttp::field::server, "weiquan/" WEIQUAN_VERSION);
  message->set(bhttp::field::content_type, response.content_type);
  for (const auto& [name, value] : response.headers) message->set(name, value);
  message->keep_alive(keep_alive);
  message->body() = std::move(response.body);
  message->prepare_payload();
  response_ = message;
  stream_.expires_after(options_.write_timeout);
  bhttp::async_write(stream_, *message,
                     [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t) {
                       self->on_write(ec, keep_alive);
                     });
}

void HttpSession::on_write(beast::error_code ec, bool keep_alive) {
  response_.reset();
  if (state_ == State::closed) return;
  if (ec || !keep_alive || stopping_) return close();
  read_request();
}

void HttpSession::close() {
  if (state_ == State::closed) return;
  state_ = State::closed;
  beast::error_code ignored;
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  stream_.socket().close(ignored);
}

}  // namespace wq::node::http

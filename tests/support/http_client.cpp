#include "http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>

namespace wq::testing {

namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string trim(const std::string& text) {
  const auto begin = text.find_first_not_of(" \t");
  if (begin == std::string::npos) return {};
  return text.substr(begin, text.find_last_not_of(" \t") - begin + 1);
}

}  // namespace

HttpClient::HttpClient(unsigned port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

HttpClient::~HttpClient() {
  if (fd_ >= 0) ::close(fd_);
}

bool HttpClient::send_raw(const std::string& bytes) {
  std::size_t done = 0;
  while (fd_ >= 0 && done < bytes.size()) {
    const ssize_t n = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return fd_ >= 0;
}

bool HttpClient::send(const std::string& method, const std::string& target, const std::string& body,
                      const std::string& extra_headers) {
  std::string request = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra_headers;
  if (!body.empty() || method == "POST") {
    request +=
        "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  }
  return send_raw(request + "\r\n" + body);
}

bool HttpClient::fill(Deadline deadline) {
  if (fd_ < 0) return false;
  pollfd fd{fd_, POLLIN, 0};
  if (::poll(&fd, 1, remaining_ms(deadline)) <= 0) return false;
  char chunk[16384];
  const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
  if (n <= 0) return false;
  buffer_.append(chunk, static_cast<std::size_t>(n));
  return true;
}

std::optional<HttpReply> HttpClient::read_reply(Deadline deadline) {
  std::size_t header_end = 0;
  while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (!fill(deadline)) return std::nullopt;
  }
  HttpReply reply;
  const std::string head = buffer_.substr(0, header_end + 2);
  std::size_t line_start = 0;
  for (std::size_t line_end = head.find("\r\n"); line_end != std::string::npos;
       line_start = line_end + 2, line_end = head.find("\r\n", line_start)) {
    const std::string line = head.substr(line_start, line_end - line_start);
    if (line_start == 0) {
      if (line.rfind("HTTP/1.", 0) != 0 || line.size() < 12) return std::nullopt;
      reply.status = std::stoi(line.substr(9, 3));
      continue;
    }
    const auto colon = line.find(':');
    if (colon == std::string::npos) return std::nullopt;
    reply.headers[lower(line.substr(0, colon))] = trim(line.substr(colon + 1));
  }
  const std::size_t length =
      reply.headers.count("content-length") ? std::stoul(reply.headers["content-length"]) : 0;
  const std::size_t body_start = header_end + 4;
  while (buffer_.size() < body_start + length) {
    if (!fill(deadline)) return std::nullopt;
  }
  reply.body = buffer_.substr(body_start, length);
  buffer_.erase(0, body_start + length);
  return reply;
}

bool HttpClient::closed_by_peer(Deadline deadline) {
  if (fd_ < 0) return true;
  for (;;) {  // bounded by the deadline: each pass waits in poll or consumes bytes
    pollfd fd{fd_, POLLIN, 0};
    if (::poll(&fd, 1, remaining_ms(deadline)) <= 0) return false;
    char chunk[4096];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return true;
  }
}

std::optional<HttpReply> HttpClient::fetch(unsigned port, const std::string& method,
                                           const std::string& target, Deadline deadline,
                                           const std::string& body) {
  HttpClient client(port);
  if (!client.connected() || !client.send(method, target, body)) return std::nullopt;
  return client.read_reply(deadline);
}

}  // namespace wq::testing

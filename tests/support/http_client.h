// HttpClient: a minimal blocking HTTP/1.1 client over one loopback TCP connection, for tests that
// talk to a real node: send raw request bytes, read one response (Content-Length bodies), see
// whether the server closed the connection. Every wait has a deadline.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "child_process.h"

namespace wq::testing {

struct HttpReply {
  int status = 0;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;

  std::string header(const std::string& lower_name) const {
    const auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

class HttpClient {
 public:
  // Connects to 127.0.0.1:port; connected() tells whether it worked.
  explicit HttpClient(unsigned port);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  bool connected() const { return fd_ >= 0; }
  bool send_raw(const std::string& bytes);
  // A request with Host and, when there is a body, Content-Length.
  bool send(const std::string& method, const std::string& target, const std::string& body = "",
            const std::string& extra_headers = "");
  std::optional<HttpReply> read_reply(Deadline deadline);
  // True when the server closes the connection (end of stream or reset) before the deadline.
  bool closed_by_peer(Deadline deadline);

  // One request on a fresh connection.
  static std::optional<HttpReply> fetch(unsigned port, const std::string& method,
                                        const std::string& target, Deadline deadline,
                                        const std::string& body = "");

 private:
  bool fill(Deadline deadline);  // reads more bytes into buffer_; false at EOF, error or deadline
  int fd_ = -1;
  std::string buffer_;
};

}  // namespace wq::testing

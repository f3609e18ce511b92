// `weiquan run` as a real process: readiness, keep-alive, /health, /metrics, the JSON errors of the
// HTTP layer, the connection bound, and a clean exit on SIGTERM.

#include <stdlib.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>

#include "child_process.h"
#include "http_client.h"
#include "temp_dir.h"

using namespace std::chrono_literals;
using wq::testing::ChildProcess;
using wq::testing::deadline_in;
using wq::testing::HttpClient;
using wq::testing::HttpReply;
using wq::testing::TempDir;
using json = nlohmann::json;

namespace {

namespace fs = std::filesystem;

// Runs `weiquan args...` to completion; returns its exit status.
int run_to_end(const TempDir& tmp, const std::vector<std::string>& args,
               std::string* err = nullptr) {
  ChildProcess child(WEIQUAN_BINARY, args, tmp.path() / "command.err");
  while (child.read_line(deadline_in(30s))) {
  }
  const auto status = child.wait(deadline_in(30s));
  if (err) *err = child.stderr_text();
  REQUIRE(status);
  return *status;
}

// A national node (its own trust anchor, so enrolled) running on 127.0.0.1 with a free port.
struct RunningNode {
  TempDir tmp;
  std::unique_ptr<ChildProcess> process;
  unsigned port = 0;

  explicit RunningNode(std::vector<std::string> extra = {}) {
    const std::string dir = (tmp.path() / "cn").string();
    REQUIRE(run_to_end(tmp, {"init", "--dir", dir, "--level", "national", "--region", "cn"}) == 0);
    std::vector<std::string> args{"run", "--dir", dir, "--http", "127.0.0.1:0"};
    args.insert(args.end(), extra.begin(), extra.end());
    process = std::make_unique<ChildProcess>(WEIQUAN_BINARY, args, tmp.path() / "run.err");
    const auto line = process->read_line(deadline_in(20s));
    INFO("stderr: " << process->stderr_text());
    REQUIRE(line);
    std::smatch match;
    REQUIRE(
        std::regex_match(*line, match, std::regex(R"(listening on http://127\.0\.0\.1:(\d+))")));
    port = static_cast<unsigned>(std::stoul(match[1]));
    wait_ready();
  }

  // Polls /health until it answers 200, within a deadline.
  void wait_ready() const {
    const auto deadline = deadline_in(20s);
    while (std::chrono::steady_clock::now() < deadline) {
      const auto reply = HttpClient::fetch(port, "GET", "/health", deadline);
      if (reply && reply->status == 200) return;
    }
    FAIL("the node did not answer /health in time");
  }

  std::optional<HttpReply> get(const std::string& target) const {
    return HttpClient::fetch(port, "GET", target, deadline_in(10s));
  }

  // SIGTERM by pid; the exit status, or -1 when the node did not exit in time.
  int terminate() {
    process->send_signal(SIGTERM);
    const auto status = process->wait(deadline_in(15s));
    return status ? *status : -1;
  }
};

void require_error(const std::optional<HttpReply>& reply, int status, const std::string& code) {
  REQUIRE(reply);
  INFO(reply->body);
  CHECK(reply->status == status);
  CHECK(reply->header("content-type") == "application/json");
  const json body = json::parse(reply->body);
  CHECK(body.at("error").at("code") == code);
  CHECK(body.at("error").at("message").is_string());
}

void require_still_serving(const RunningNode& node) {
  const auto reply = node.get("/health");
  REQUIRE(reply);
  CHECK(reply->status == 200);
}

double counter_value(const std::string& metrics, const std::string& series) {
  std::istringstream in(metrics);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
  }
  return 0;
}

}  // namespace

TEST_CASE("api: weiquan run serves /health over keep-alive and exits 0 on SIGTERM", "[api][http]") {
  RunningNode node;
  HttpClient client(node.port);
  REQUIRE(client.connected());
  for (int i = 0; i < 5; ++i) {
    REQUIRE(client.send("GET", "/health"));
    const auto reply = client.read_reply(deadline_in(10s));
    REQUIRE(reply);
    CHECK(reply->status == 200);
    CHECK(reply->header("connection") != "close");
    const json body = json::parse(reply->body);
    CHECK(body.at("status") == "ok");
    CHECK(body.at("node") == "cn");
    CHECK(body.at("level") == "national");
    CHECK(body.at("region") == "cn");
    CHECK(body.at("version").is_string());
  }
  // The idle keep-alive connection is closed by the shutdown, which completes cleanly.
  CHECK(node.terminate() == 0);
  CHECK(client.closed_by_peer(deadline_in(5s)));
  const std::string err = node.process->stderr_text();
  CHECK(err.find("listening on http://127.0.0.1:") != std::string::npos);
  CHECK(err.find("stopped") != std::string::npos);
}

TEST_CASE("api: /metrics is Prometheus text and its request counter moves", "[api][http]") {
  RunningNode node;
  const std::string series =
      R"(weiquan_http_requests_total{method="GET",route="/health",status="200"})";
  const auto before = node.get("/metrics");
  REQUIRE(before);
  CHECK(before->status == 200);
  CHECK(before->header("content-type").rfind("text/plain; version=0.0.4", 0) == 0);
  CHECK(before->body.find("# TYPE weiquan_http_requests_total counter") != std::string::npos);
  CHECK(before->body.find("# TYPE weiquan_http_request_duration_seconds histogram") !=
        std::string::npos);
  CHECK(before->body.find("weiquan_http_open_connections") != std::string::npos);
  for (int i = 0; i < 3; ++i) require_still_serving(node);
  const auto after = node.get("/metrics");
  REQUIRE(after);
  CHECK(counter_value(after->body, series) >= counter_value(before->body, series) + 3);
  CHECK(node.terminate() == 0);
}

TEST_CASE("api: bad requests get JSON errors and the node keeps serving", "[api][http]") {
  RunningNode node;

  SECTION("unknown paths: 404") {
    require_error(node.get("/api/v1/nothing-here"), 404, "http.not_found");
    require_still_serving(node);
    require_error(node.get("/nope"), 404, "http.not_found");
  }
  SECTION("wrong method: 405 with Allow") {
    const auto reply = HttpClient::fetch(node.port, "POST", "/health", deadline_in(10s), "{}");
    require_error(reply, 405, "http.method_not_allowed");
    CHECK(reply->header("allow") == "GET");
  }
  SECTION("a body over the limit: 413, decided from Content-Length") {
    HttpClient client(node.port);
    REQUIRE(
        client.send_raw("POST /api/v1/tickets HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        "Content-Type: application/json\r\nContent-Length: 2097152\r\n\r\n"));
    require_error(client.read_reply(deadline_in(10s)), 413, "http.payload_too_large");
    CHECK(client.closed_by_peer(deadline_in(10s)));
  }
  SECTION("headers over the limit: 431") {
    HttpClient client(node.port);
    REQUIRE(client.send("GET", "/health", "", "X-Padding: " + std::string(20000, 'a') + "\r\n"));
    require_error(client.read_reply(deadline_in(10s)), 431, "http.header_too_large");
  }
  SECTION("malformed request: 400") {
    HttpClient client(node.port);
    REQUIRE(client.send_raw("THIS IS NOT HTTP\r\n\r\n"));
    require_error(client.read_reply(deadline_in(10s)), 400, "http.bad_request");
    CHECK(client.closed_by_peer(deadline_in(10s)));
  }
  SECTION("a target that is not a path: 400") {
    HttpClient client(node.port);
    REQUIRE(client.send_raw("GET * HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
    require_error(client.read_reply(deadline_in(10s)), 400, "http.bad_request");
  }
  require_still_serving(node);
  const auto metrics = node.get("/metrics");
  REQUIRE(metrics);
  CHECK(metrics->status == 200);
  CHECK(node.terminate() == 0);
}

TEST_CASE("api: beyond the connection bound a client gets 503 with Retry-After", "[api][http]") {
  RunningNode node({"--max-connections", "1"});
  {
    // Take the only slot and keep it (keep-alive); the readiness probe's connection may still
    // hold it for a moment, so retry until a request is served, within a deadline.
    std::unique_ptr<HttpClient> held;
    const auto deadline = deadline_in(10s);
    while (!held && std::chrono::steady_clock::now() < deadline) {
      auto client = std::make_unique<HttpClient>(node.port);
      REQUIRE(client->send("GET", "/health"));
      const auto reply = client->read_reply(deadline);
      if (reply && reply->status == 200) held = std::move(client);
    }
    REQUIRE(held);

    HttpClient turned_away(node.port);
    REQUIRE(turned_away.send("GET", "/health"));
    const auto reply = turned_away.read_reply(deadline_in(10s));
    require_error(reply, 503, "http.overloaded");
    CHECK(reply->header("retry-after") == "1");
  }
  node.wait_ready();  // the slot is free again once the held connection is gone
  CHECK(node.terminate() == 0);
}

TEST_CASE("api: a node that is not enrolled refuses to run", "[api][http]") {
  TempDir tmp;
  const std::string dir = (tmp.path() / "110101").string();
  REQUIRE(run_to_end(tmp, {"init", "--dir", dir, "--level", "county", "--region", "110101"}) == 0);
  std::string err;
  CHECK(run_to_end(tmp, {"run", "--dir", dir, "--http", "127.0.0.1:0"}, &err) == 1);
  CHECK(err.find("node.not_enrolled") != std::string::npos);
}

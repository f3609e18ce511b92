#include "nats_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace wq::testing {

namespace {

using namespace std::chrono_literals;

sockaddr_in loopback(unsigned port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

std::string program() {
  const char* chosen = std::getenv("WEIQUAN_NATS_SERVER");
  return chosen != nullptr && *chosen != '\0' ? chosen : "/usr/sbin/nats-server";
}

}  // namespace

unsigned free_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  sockaddr_in address = loopback(0);
  socklen_t length = sizeof address;
  const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
                  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  ::close(fd);
  if (!ok) throw std::runtime_error("no free loopback port");
  return ntohs(address.sin_port);
}

bool accepts_connections(unsigned port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  const sockaddr_in address = loopback(port);
  const bool ok = ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return ok;
}

NatsServer::NatsServer(std::filesystem::path dir, NatsServerConfig config)
    : dir_(std::move(dir)), config_(std::move(config)) {
  std::filesystem::create_directories(dir_);
  // A port picked free may be taken before the server binds it: try fresh ones a few times.
  for (int attempt = 1;; ++attempt) {
    port_ = free_loopback_port();
    leaf_port_ = config_.accept_leafs ? free_loopback_port() : 0;
    try {
      start();
      return;
    } catch (const std::runtime_error&) {
      if (attempt == 3) throw;
    }
  }
}

NatsServer::~NatsServer() {
  stop();
}

pid_t NatsServer::pid() const {
  return process_ ? process_->pid() : -1;
}

std::string NatsServer::log() const {
  std::ifstream in(dir_ / (config_.name + ".log"));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void NatsServer::write_config() const {
  std::ofstream out(dir_ / (config_.name + ".conf"), std::ios::trunc);
  out << "server_name: \"" << config_.name << "\"\n"
      << "listen: \"127.0.0.1:" << port_ << "\"\n"
      << "log_file: \"" << (dir_ / (config_.name + ".log")).string() << "\"\n";
  if (config_.accept_leafs || !config_.leaf_remotes.empty()) {
    out << "leafnodes {\n";
    if (config_.accept_leafs) out << "  listen: \"127.0.0.1:" << leaf_port_ << "\"\n";
    if (!config_.leaf_remotes.empty()) {
      out << "  remotes: [\n";
      for (const std::string& url : config_.leaf_remotes) out << "    { url: \"" << url << "\" }\n";
      out << "  ]\n";
    }
    out << "}\n";
  }
  if (!out) throw std::runtime_error("cannot write the nats-server configuration");
}

void NatsServer::start() {
  if (process_) return;
  write_config();
  const auto conf = dir_ / (config_.name + ".conf");
  process_ = std::make_unique<ChildProcess>(
      program(), std::vector<std::string>{"-c", conf.string()}, dir_ / (config_.name + ".stderr"));
  const Deadline deadline = deadline_in(10s);
  while (!accepts_connections(port_) ||
         (config_.accept_leafs && !accepts_connections(leaf_port_))) {
    if (process_->wait(deadline_in(50ms)) || std::chrono::steady_clock::now() > deadline) {
      const std::string why = process_->stderr_text() + log();
      process_.reset();  // kills and reaps it if still running
      throw std::runtime_error("nats-server did not start on port " + std::to_string(port_) + ": " +
                               why);
    }
  }
}

void NatsServer::stop() {
  if (!process_) return;
  process_->send_signal(SIGTERM);
  if (!process_->wait(deadline_in(5s))) {
    process_->send_signal(SIGKILL);
    (void)process_->wait(deadline_in(5s));
  }
  process_.reset();
}

}  // namespace wq::testing

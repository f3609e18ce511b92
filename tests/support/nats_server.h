// NatsServer: a real nats-server for one test, on 127.0.0.1 and a free port, with its
// configuration file, log and data under a directory the test owns. It can listen for leaf-node
// connections and connect to other servers as a leaf. stop() ends it by pid (SIGTERM, then SIGKILL
// after a bound); start() runs it again on the same ports. The server is stopped when the object
// goes away.
//
// The program is $WEIQUAN_NATS_SERVER when set, else /usr/sbin/nats-server.
// Failures (cannot start, not accepting connections within the bound) throw std::runtime_error.
// Not thread-safe: one test thread uses it.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "child_process.h"

namespace wq::testing {

// A TCP port on 127.0.0.1 that was free a moment ago (the kernel's pick for port 0).
unsigned free_loopback_port();

// True when something accepts TCP connections on 127.0.0.1:port.
bool accepts_connections(unsigned port);

struct NatsServerConfig {
  std::string name = "test";              // server_name, unique within a leaf-node topology
  bool accept_leafs = false;              // listen for leaf-node connections (on leaf_port())
  std::vector<std::string> leaf_remotes;  // nats-leaf://HOST:PORT of servers to join as a leaf
};

class NatsServer {
 public:
  // Writes <dir>/<name>.conf and starts the server; returns once it accepts client connections.
  explicit NatsServer(std::filesystem::path dir, NatsServerConfig config = {});
  ~NatsServer();
  NatsServer(const NatsServer&) = delete;
  NatsServer& operator=(const NatsServer&) = delete;

  unsigned port() const { return port_; }
  std::string url() const { return "nats://127.0.0.1:" + std::to_string(port_); }
  // The port leaf nodes connect to (0 unless config.accept_leafs).
  unsigned leaf_port() const { return leaf_port_; }
  std::string leaf_url() const { return "nats-leaf://127.0.0.1:" + std::to_string(leaf_port_); }
  bool running() const { return process_ != nullptr; }
  pid_t pid() const;
  // Everything the server logged so far (for INFO on a failure).
  std::string log() const;

  // Starts a stopped server again on the same ports.
  void start();
  // SIGTERM to the server's pid, SIGKILL if it has not exited within 5 s; no-op when stopped.
  void stop();

 private:
  void write_config() const;

  std::filesystem::path dir_;
  NatsServerConfig config_;
  unsigned port_ = 0;
  unsigned leaf_port_ = 0;
  std::unique_ptr<ChildProcess> process_;
};

}  // namespace wq::testing

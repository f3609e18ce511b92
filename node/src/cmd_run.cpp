// weiquan run: wiring of a serving node — the io_context and its threads, the writer thread with
// the store, the router, the HTTP server, and the signals that stop it all.

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <thread>
#include <vector>

#include "account_routes.h"
#include "alert_gauges.h"
#include "alert_routes.h"
#include "api_context.h"
#include "disclosure_routes.h"
#include "federation_link.h"
#include "federation_routes.h"
#include "http_server.h"
#include "metrics.h"
#include "report_book.h"
#include "report_metrics.h"
#include "report_routes.h"
#include "router.h"
#include "stats_routes.h"
#include "store_writer.h"
#include "system_routes.h"
#include "ticket_routes.h"
#include "weiquan/crypto/key_file.h"
#include "weiquan/node/commands.h"

namespace wq::node {

namespace {

constexpr unsigned kIoThreads = 2;
constexpr unsigned kPasswordThreads = 1;

std::int64_t wall_clock_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// Logs go to standard error; standard output carries only what scripts read.
void use_stderr_logger() {
  if (spdlog::get("weiquan")) return;
  auto logger = spdlog::stderr_color_mt("weiquan");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %l %v");
  spdlog::set_default_logger(std::move(logger));
}

Status serve(const RunOptions& options) {
  auto config = load_config(options.dir);
  if (!config) return config.error();
  if (!config->enrolled()) {
    return make_error("node.not_enrolled", "node " + config->node_id +
                                               " has no trust anchor yet: run weiquan enroll "
                                               "before weiquan run");
  }
  auto endpoint = http::parse_listen_address(options.http_listen.empty() ? config->http_listen
                                                                         : options.http_listen);
  if (!endpoint) return endpoint.error();
  auto keys = crypto::read_key_file(options.dir.key_path());
  if (!keys) return keys.error();
  auto store = open_store(options.dir, *config);
  if (!store) return store.error();
  auto office = OfficeDb::open(options.dir.office_path());
  if (!office) return office.error();
  AccountsOptions account_options;
  account_options.cost = password_cost_from_environment();
  auto accounts = Accounts::open(*office, keys->box, account_options);
  if (!accounts) return accounts.error();
  BusinessDirectory businesses(*office);
  DuplicateIndex duplicates(*office);
  ReaderPool readers(options.dir.store_path());
  EvidenceStore evidence(options.dir.root / "evidence", options.max_evidence_bytes);
  ReportBook reports(*office);
  DisclosureCache disclosure(readers);

  http::HttpOptions http_options;
  http_options.body_limit_bytes = options.max_body_bytes;
  http_options.max_connections = options.max_connections;
  http_options.upload_limit_bytes = options.max_evidence_bytes;

  // Declaration order is destruction order in reverse: the router and metrics outlive the
  // io_context (sessions destroyed with it still report to them); the server goes first.
  http::HttpMetrics metrics;
  http::Router router;
  http::add_system_routes(router, *config, metrics);

  boost::asio::io_context io(static_cast<int>(kIoThreads));
  boost::asio::thread_pool password_pool(kPasswordThreads);
  DirectorySnapshot directory;
  directory.publish(store->trust());
  auto writer = StoreWriter::open(std::move(*store), keys->sign, config->node_id, wall_clock_ms());
  if (!writer) return writer.error();
  IntakeMetrics intake_metrics(metrics.registry());
  IntakeQueue intake(**writer, duplicates, intake_metrics, io, wall_clock_ms);
  ReportMetrics report_metrics(metrics.registry());
  AlertGauges alert_gauges(metrics.registry(), readers, config->node_id, io,
                           std::chrono::seconds(options.alert_refresh_s), wall_clock_ms);
  alert_gauges.start();
  const http::ApiContext api{*config,
                             *keys,
                             *accounts,
                             businesses,
                             duplicates,
                             **writer,
                             directory,
                             intake,
                             readers,
                             evidence,
                             policies::RegionTable::builtin(),
                             password_pool,
                             wall_clock_ms};
  std::unique_ptr<FederationLink> federation;
  if (!options.nats_urls.empty()) {
    FederationOptions federation_options;
    federation_options.nats_urls = options.nats_urls;
    federation_options.heartbeat_interval = std::chrono::seconds(options.heartbeat_s);
    federation_options.report_book = &reports;
    federation_options.report_metrics = &report_metrics;
    auto link = FederationLink::start(std::move(federation_options), config->node_id, *keys,
                                      **writer, directory, io, wall_clock_ms);
    if (!link) return link.error();
    federation = std::move(*link);
  }
  http::add_account_routes(router, api);
  http::add_ticket_routes(router, api, federation.get());
  http::add_federation_routes(router, api, federation.get());
  http::add_stats_routes(router, api, federation.get());
  http::add_alert_routes(router, api);
  http::add_report_routes(router, api, reports, federation.get());
  http::add_disclosure_routes(router, api, disclosure);
  http::HttpServer server(io, router, metrics, http_options);
  auto bound = server.listen(*endpoint);
  if (!bound) return bound.error();

  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    spdlog::info("signal {}: stopping; answering requests in flight", signal);
    server.stop([&io] { io.stop(); });
  });
  server.start();

  const std::string url = http::endpoint_url(*bound);
  spdlog::info("node {} ({} {}) listening on {}", config->node_id,
               crypto::level_name(config->level), config->region, url);
  std::printf("listening on %s\n", url.c_str());
  std::fflush(stdout);

  std::atomic<bool> crashed = false;
  std::vector<std::thread> threads;
  threads.reserve(kIoThreads);
  for (unsigned i = 0; i < kIoThreads; ++i) {
    threads.emplace_back([&io, &crashed] {
      try {
        io.run();
      } catch (const std::exception& e) {
        spdlog::critical("io thread stopped by an exception: {}", e.what());
        crashed = true;
        io.stop();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  password_pool.join();

  if (federation) federation->stop();  // while the writer still runs
  (*writer)->close();                  // after the work still queued for it
  spdlog::info("stopped: store closed");
  if (crashed) return make_error("node.internal", "the node stopped on an unexpected exception");
  return {};
}

}  // namespace

Status run_node(const RunOptions& options) {
  use_stderr_logger();
  try {
    return serve(options);
  } catch (const std::exception& e) {  // Asio setup (signals, sockets) reports by exception
    return make_error("node.internal", std::string("the node could not run: ") + e.what());
  }
}

}  // namespace wq::node

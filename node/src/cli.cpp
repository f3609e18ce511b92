#include "cli.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>

#include "office_commands.h"
#include "stats_commands.h"
#include "weiquan/crypto/sodium.h"
#include "weiquan/node/commands.h"

namespace wq::node {

namespace {

constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int fail(const Error& error) {
  std::fprintf(stderr, "error: %s: %s\n", error.code.c_str(), error.message.c_str());
  return kExitFailed;
}

struct Options {
  std::string dir;
  std::string level;
  std::string region;
  unsigned replica = 1;
  std::string parent;
  std::string child;
  unsigned validity_days = 730;
  std::string http;
  std::size_t max_body_bytes = 1024 * 1024;
  std::size_t max_connections = 256;
  std::size_t max_evidence_bytes = 10 * 1024 * 1024;
  std::vector<std::string> nats_urls;
  unsigned heartbeat_s = 15;
  unsigned alert_refresh_s = 30;
  std::string role;
  std::string name;
  std::string uscc;
  std::string login;
  std::string file;
};

// At most this many rejected rows are listed after an import's summary.
constexpr std::size_t kImportErrorsShown = 20;

int do_init(const Options& o) {
  auto level = crypto::parse_level(o.level);
  if (!level) return fail(level.error());
  auto made = init_node({NodeDir{o.dir}, *level, o.region, o.replica, now_ms()});
  if (!made) return fail(made.error());
  std::printf("initialised %s node %s (%s) in %s\n",
              std::string(crypto::level_name(*level)).c_str(), made->config.node_id.c_str(),
              made->region_name.c_str(), o.dir.c_str());
  if (made->config.enrolled()) {
    std::printf("trust anchor: %s\n", made->config.anchor_hex.c_str());
  } else {
    std::printf("next: weiquan enroll --parent <parent node dir> --child %s\n", o.dir.c_str());
  }
  return 0;
}

int do_enroll(const Options& o) {
  const std::int64_t validity_ms = static_cast<std::int64_t>(o.validity_days) * 86'400'000;
  auto enrolled = enroll_node(NodeDir{o.parent}, NodeDir{o.child}, now_ms(), validity_ms);
  if (!enrolled) return fail(enrolled.error());
  std::printf("enrolled %s under %s (serial %llu, %zu certificates in its chain)\n",
              enrolled->certificate.node_id.c_str(), enrolled->certificate.issuer.c_str(),
              static_cast<unsigned long long>(enrolled->certificate.serial),
              enrolled->chain_length);
  return 0;
}

int do_export(const Options& o) {
  std::ios::sync_with_stdio(false);
  if (auto done = export_node(NodeDir{o.dir}, std::cout); !done) return fail(done.error());
  std::cout.flush();
  return std::cout ? 0 : fail(make_error("node.io", "writing to standard output failed"));
}

int do_anchor(const Options& o) {
  auto key = anchor_of(NodeDir{o.dir});
  if (!key) return fail(key.error());
  std::printf("%s\n", key->c_str());
  return 0;
}

int do_verify(const Options& o) {
  auto report = verify_node(NodeDir{o.dir});
  if (!report) return fail(report.error());
  std::printf("%s\n", report->summary().c_str());
  return report->ok() ? 0 : kExitFailed;
}

int do_run(const Options& o) {
  RunOptions options;
  options.dir = NodeDir{o.dir};
  options.http_listen = o.http;
  options.max_body_bytes = o.max_body_bytes;
  options.max_connections = o.max_connections;
  options.max_evidence_bytes = o.max_evidence_bytes;
  options.nats_urls = o.nats_urls;
  options.heartbeat_s = o.heartbeat_s;
  options.alert_refresh_s = o.alert_refresh_s;
  if (auto done = run_node(options); !done) return fail(done.error());
  return 0;
}

int do_user_add(const Options& o) {
  auto role = parse_role(o.role);
  if (!role) return fail(role.error());
  auto account =
      add_user({NodeDir{o.dir}, *role, o.name, o.uscc, o.login, password_cost_from_environment()});
  if (!account) return fail(account.error());
  std::printf("account: %s\nlogin: %s\npassword: %s\nrole: %s\n",
              account->principal.account_id.c_str(), account->login.c_str(),
              account->password.c_str(), std::string(role_name(*role)).c_str());
  crypto::wipe(account->password);
  return 0;
}

int do_business_import(const Options& o) {
  auto report = import_businesses(NodeDir{o.dir}, o.file, [](std::size_t rows) {
    std::fprintf(stderr, "%zu rows read\n", rows);
  });
  if (!report) return fail(report.error());
  std::printf("added %zu, updated %zu, rejected %zu\n", report->added, report->updated,
              report->rejected);
  const std::size_t shown = std::min(report->errors.size(), kImportErrorsShown);
  for (std::size_t i = 0; i < shown; ++i) {
    std::printf("line %zu: %s\n", report->errors[i].line, report->errors[i].reason.c_str());
  }
  if (report->rejected > shown) std::printf("(%zu more rejected)\n", report->rejected - shown);
  if (report->rejected > 0 && report->added + report->updated == 0) {
    return fail(make_error("node.bad_csv", "every row was rejected"));
  }
  return 0;
}

void print_progress(std::size_t done, std::size_t total) {
  std::fprintf(stderr, "%zu of %zu tickets\n", done, total);
}

int do_stats_rebuild(const Options& o) {
  auto counted = rebuild_stats(NodeDir{o.dir}, print_progress);
  if (!counted) return fail(counted.error());
  std::printf("rebuilt the statistics of %zu tickets from the event log\n", *counted);
  return 0;
}

int do_stats_check(const Options& o) {
  auto differences = check_stats(NodeDir{o.dir}, print_progress);
  if (!differences) return fail(differences.error());
  for (const auto& difference : *differences) {
    const bool businesses = difference.table == "stats_businesses";
    for (std::size_t i = 0; i < difference.stored.size(); ++i) {
      if (difference.stored[i] == difference.rebuilt[i]) continue;
      const std::string_view name =
          businesses ? sync::kBusinessMeasureNames[i] : sync::kMeasureNames[i];
      std::printf("%s %s: %.*s is %lld, the event log gives %lld\n", difference.table.c_str(),
                  difference.key.c_str(), static_cast<int>(name.size()), name.data(),
                  static_cast<long long>(difference.stored[i]),
                  static_cast<long long>(difference.rebuilt[i]));
    }
  }
  if (differences->empty()) {
    std::printf("the statistics match the event log\n");
    return 0;
  }
  std::printf("%zu cells differ: run weiquan stats rebuild\n", differences->size());
  return kExitFailed;
}

}  // namespace

int run_cli(int argc, char** argv) {
  if (auto ready = crypto::init(); !ready) return fail(ready.error());
  CLI::App app{"weiquan — the federated 12315 node"};
  app.set_version_flag("--version", "weiquan " WEIQUAN_VERSION);
  app.require_subcommand(1);
  Options o;
  int code = 0;

  auto* init =
      app.add_subcommand("init", "create a node directory: keys, config, certificate request");
  init->add_option("--dir", o.dir, "node directory to create")->required();
  init->add_option("--level", o.level, "national|province|city|county|station")->required();
  init->add_option("--region", o.region, "GB/T 2260 region code, or cn for the national node")
      ->required();
  init->add_option("--replica", o.replica,
                   "replica number of the same office (node id <region>-<n>)")
      ->check(CLI::Range(1, 99));
  init->callback([&] { code = do_init(o); });

  auto* enroll = app.add_subcommand("enroll", "have a parent node sign a child node's certificate");
  enroll->add_option("--parent", o.parent, "the parent's node directory")->required();
  enroll->add_option("--child", o.child, "the child's node directory")->required();
  enroll->add_option("--days", o.validity_days, "certificate validity in days")
      ->check(CLI::Range(1, 3650));
  enroll->callback([&] { code = do_enroll(o); });

  auto* exp = app.add_subcommand("export", "write every certificate and event as JSON lines");
  exp->add_option("--dir", o.dir, "node directory")->required();
  exp->callback([&] { code = do_export(o); });

  auto* anchor = app.add_subcommand("anchor", "print the national trust anchor's public key");
  anchor->add_option("--dir", o.dir, "node directory")->required();
  anchor->callback([&] { code = do_anchor(o); });

  auto* verify = app.add_subcommand(
      "verify", "check every signature, certificate chain and hash link in a node's store");
  verify->add_option("--dir", o.dir, "node directory")->required();
  verify->callback([&] { code = do_verify(o); });

  auto* run = app.add_subcommand("run", "run the node: serve its HTTP API until SIGTERM or SIGINT");
  run->add_option("--dir", o.dir, "node directory")->required();
  run->add_option(
      "--http", o.http,
      "listen on HOST:PORT (default: \"http\" in config.json; port 0 picks a free one)");
  run->add_option("--max-body", o.max_body_bytes, "largest request body accepted, in bytes")
      ->check(CLI::Range(std::size_t{1024}, std::size_t{64} << 20));
  run->add_option("--max-connections", o.max_connections,
                  "connections served at once; beyond them clients get 503")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100000}));
  run->add_option("--max-evidence", o.max_evidence_bytes,
                  "largest evidence file accepted, in bytes")
      ->check(CLI::Range(std::size_t{1024}, std::size_t{1024} * 1024 * 1024));
  run->add_option("--nats", o.nats_urls,
                  "NATS server URL to federate over (nats://HOST:PORT); repeat for fail-over")
      ->delimiter(',');
  run->add_option("--heartbeat-s", o.heartbeat_s,
                  "seconds between heartbeats to the parent office (default 15; a descendant is "
                  "live when heard within three)")
      ->envname("WEIQUAN_HEARTBEAT_S")
      ->check(CLI::Range(1u, 3600u));
  run->add_option("--alert-refresh-s", o.alert_refresh_s,
                  "seconds between refreshes of the overdue and due-soon gauges of /metrics "
                  "(default 30)")
      ->envname("WEIQUAN_ALERT_REFRESH_S")
      ->check(CLI::Range(1u, 3600u));
  run->callback([&] { code = do_run(o); });

  auto* user = app.add_subcommand("user", "manage the accounts of people who use this node");
  user->require_subcommand(1);
  auto* user_add =
      user->add_subcommand("add", "add a staff account and print its credentials once");
  user_add->add_option("--dir", o.dir, "node directory")->required();
  user_add->add_option("--role", o.role, "officer|supervisor|enterprise|association|admin")
      ->required();
  user_add->add_option("--name", o.name, "the person's or organisation's name")->required();
  user_add->add_option("--uscc", o.uscc, "unified social credit code (enterprise accounts only)");
  user_add->add_option("--login", o.login, "login name (default <role>-<n>, e.g. officer-1)");
  user_add->callback([&] { code = do_user_add(o); });

  auto* business = app.add_subcommand("business", "the directory of businesses this office knows");
  business->require_subcommand(1);
  auto* business_import = business->add_subcommand(
      "import", "add or update businesses from a CSV file (header uscc,name,region,address)");
  business_import->add_option("--dir", o.dir, "node directory")->required();
  business_import->add_option("--file", o.file, "UTF-8 CSV file")->required();
  business_import->callback([&] { code = do_business_import(o); });

  auto* stats = app.add_subcommand("stats", "the statistics counters of a node's store");
  stats->require_subcommand(1);
  auto* stats_rebuild = stats->add_subcommand(
      "rebuild", "recompute the counters from the event log (stop the node first on a big store)");
  stats_rebuild->add_option("--dir", o.dir, "node directory")->required();
  stats_rebuild->callback([&] { code = do_stats_rebuild(o); });
  auto* stats_check = stats->add_subcommand(
      "check", "recompute the counters aside and list every cell that differs (exit 1 if any)");
  stats_check->add_option("--dir", o.dir, "node directory")->required();
  stats_check->callback([&] { code = do_stats_check(o); });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int exit = app.exit(e);
    return exit == 0 ? 0 : kExitUsage;
  }
  return code;
}

}  // namespace wq::node

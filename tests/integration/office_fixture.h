// Office: a real county office for end-to-end tests over HTTP. It builds a national -> province ->
// city -> county chain of node directories with `weiquan init` and `weiquan enroll`, fills the
// county's business directory with `weiquan business import`, adds staff accounts with `weiquan
// user add` (WEIQUAN_PASSWORD_COST=minimum, so hashing is fast) and runs the county node as a real
// process (`weiquan run --dir D --http 127.0.0.1:0`), which it can stop with SIGTERM and start
// again on the same directory. Helpers log in and call the JSON endpoints of docs/api.md.
//
// Codes with check characters (USCCs, resident ID numbers) are computed here, so tests name valid
// and deliberately invalid ones.
//
// Ownership: an Office owns its temporary directory and the node process; both go away with it
// (the process is killed by pid if still running). Thread safety: an Office is used by the test's
// thread; request() may be called from several threads at once (each call has its own
// connection). Failures are Catch2 assertions in the calling test.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "child_process.h"
#include "temp_dir.h"

namespace wq::testing {

using json = nlohmann::json;

// An 18-character unified social credit code: authority 9 (market regulation), type 1
// (enterprise), `region6`, organization code `organization8` plus its GB 11714 check character,
// then the GB 32100 check character.
std::string make_uscc(std::string_view region6, std::string_view organization8);
// An 18-character resident ID number: `first17` plus its GB 11643 check character.
std::string make_id_number(std::string_view first17);
// The same code with another last character: its check character is wrong.
std::string with_wrong_check(std::string code);

// A day of the builtin holiday calendar: the end (23:59:59.999 CST) of the `count`th working day
// after the China day containing `start_ms`, the day of receipt not counted (docs/policies.md).
std::int64_t working_days_after(std::int64_t start_ms, int count);
// RFC 3339 in China time, as the API reads and writes it; and back to Unix milliseconds.
std::string api_time(std::int64_t unix_ms);
std::int64_t api_ms(const json& time);
std::int64_t now_ms();

struct BusinessRow {
  std::string uscc;
  std::string name;
  std::string region;
  std::string address;
};

struct StaffAccount {
  std::string account;  // account id, "s-…"
  std::string login;
  std::string password;
  std::string role;
  std::string name;
  std::string uscc;
};

struct Consumer {
  std::string account;  // "c-…"
  std::string name;
  std::string phone;
  std::string id_number;
  std::string address;
  std::string password;
  std::string token;
};

// One HTTP answer: the status (0 when none came before the deadline), the body parsed as JSON
// (null when it is not JSON) and as bytes.
struct ApiAnswer {
  int status = 0;
  json body;
  std::string raw;
  std::string content_type;

  // error.code of a JSON error, else "".
  std::string error_code() const;
};

class Office {
 public:
  explicit Office(std::string county = "110101");
  ~Office();
  Office(const Office&) = delete;
  Office& operator=(const Office&) = delete;

  const std::string& county() const { return county_; }
  std::string county_dir() const;
  unsigned port() const { return port_; }

  // The businesses of the directory: an appliance shop and a restaurant in the county, and a
  // shop just outside it (another county of the same city).
  const BusinessRow& shop() const { return businesses_.at(0); }
  const BusinessRow& restaurant() const { return businesses_.at(1); }
  const BusinessRow& neighbour() const { return businesses_.at(2); }

  // Accounts made before the node starts.
  const StaffAccount& officer() const { return officer_; }
  const StaffAccount& supervisor() const { return supervisor_; }
  const StaffAccount& admin() const { return admin_; }
  const StaffAccount& shop_enterprise() const { return shop_enterprise_; }
  const StaffAccount& restaurant_enterprise() const { return restaurant_enterprise_; }

  // `weiquan user add` on the county directory.
  StaffAccount add_user(const std::string& role, const std::string& name,
                        const std::string& uscc = "");

  // Starts `weiquan run` and waits until /health answers; stop() sends SIGTERM by pid and returns
  // the exit status (-1 when the node did not exit in time).
  void start();
  int stop();
  // The stopped node's standard error (of the last run).
  std::string node_log() const { return last_log_; }
  void send_sigterm() const;
  // Exit status after send_sigterm() (-1 when the node did not exit in time).
  int wait_exit();

  // One request on a fresh connection. `token` adds `Authorization: Bearer <token>`.
  ApiAnswer request(const std::string& method, const std::string& target, const std::string& token,
                    const std::string& body = "",
                    const std::string& content_type = "application/json") const;
  ApiAnswer get(const std::string& target, const std::string& token = "") const;
  ApiAnswer post(const std::string& target, const json& body, const std::string& token = "") const;
  // POST /api/v1/tickets/{id}/actions.
  ApiAnswer act(const std::string& id, const std::string& token, const json& action) const;
  // GET /api/v1/tickets/{id}.
  ApiAnswer ticket(const std::string& id, const std::string& token) const;
  // GET /api/v1/tickets?<query>.
  ApiAnswer queue(const std::string& token, const std::string& query = "") const;
  bool healthy() const;

  // POST /api/v1/login, requiring 200; the token.
  std::string login(const std::string& login, const std::string& password) const;
  std::string login(const StaffAccount& account) const {
    return login(account.login, account.password);
  }

  // Registers a consumer (POST /api/v1/consumers, requiring 201) and logs them in. `serial` makes
  // the phone and ID number distinct between consumers of one test.
  Consumer register_consumer(const std::string& name, int serial) const;

  // POST /api/v1/tickets, requiring 201; the answer's body.
  json file(const json& ticket, const std::string& token = "") const;

 private:
  void make_chain();
  void import_businesses();

  std::string county_;
  TempDir tmp_;
  std::vector<BusinessRow> businesses_;
  StaffAccount officer_, supervisor_, admin_, shop_enterprise_, restaurant_enterprise_;
  std::unique_ptr<ChildProcess> process_;
  unsigned port_ = 0;
  int runs_ = 0;
  std::string last_log_;
};

// Runs `weiquan args...` to completion, requiring exit status 0; its standard output.
std::string weiquan_ok(const std::vector<std::string>& args);
// `weiquan user add` on the node directory `dir`; the account it printed.
StaffAccount add_staff(const std::string& dir, const std::string& role, const std::string& name,
                       const std::string& uscc = "");
// Starts `weiquan <args>` (a `run` listening on 127.0.0.1:0), standard error to `log`; returns
// once it answers /health, with its HTTP port in `port`.
std::unique_ptr<ChildProcess> start_node(const std::vector<std::string>& args,
                                         const std::filesystem::path& log, unsigned& port);
// One request on a fresh connection to 127.0.0.1:port. `token` adds `Authorization: Bearer`.
ApiAnswer http_request(unsigned port, const std::string& method, const std::string& target,
                       const std::string& token, const std::string& body = "",
                       const std::string& content_type = "application/json");

// POST /api/v1/login at 127.0.0.1:port, requiring 200; the token.
std::string login_at(unsigned port, const std::string& login, const std::string& password);
// Registers a consumer (POST /api/v1/consumers, requiring 201) and logs them in. `serial` makes
// the phone and ID number distinct between consumers of one test.
Consumer register_consumer_at(unsigned port, const std::string& name, int serial);
// POST /api/v1/tickets, requiring 201; the answer's body.
json file_at(unsigned port, const json& ticket, const std::string& token = "");

// Bodies of POST /api/v1/tickets.
json complaint_about(const BusinessRow& business, const std::string& category);
json report_about(const BusinessRow& business);
// A hotline complaint an officer registers for `caller`, received at `received_ms`.
json hotline_complaint(const BusinessRow& business, const std::string& category,
                       const Consumer& caller, std::int64_t received_ms);

// A JSON error with this status and code.
void require_error(const ApiAnswer& answer, int status, const std::string& code);
// The kinds of a ticket's timeline, in order.
std::vector<std::string> timeline_kinds(const json& ticket);
// The timeline entries of one kind.
std::vector<json> events_of(const json& ticket, const std::string& kind);
// The deadline called `name` of a ticket summary, or null.
json deadline_named(const json& ticket, const std::string& name);
// The ids of a queue answer, in order.
std::vector<std::string> queue_ids(const ApiAnswer& queue);

}  // namespace wq::testing

#include "office_fixture.h"

#include <stdlib.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <fstream>
#include <regex>
#include <sstream>

#include "http_client.h"
#include "process.h"
#include "weiquan/policies/calendar.h"
#include "weiquan/policies/validation.h"

namespace wq::testing {

using namespace std::chrono_literals;

namespace {

// GB 11714: the check character of an 8-character organization code (weights 3,7,9,10,5,8,4,2).
char organization_check(std::string_view body8) {
  constexpr int kWeights[8] = {3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (std::size_t i = 0; i < 8; ++i) {
    const char c = body8[i];
    sum += (c >= '0' && c <= '9' ? c - '0' : c - 'A' + 10) * kWeights[i];
  }
  const int check = 11 - sum % 11;
  return check == 10 ? 'X' : check == 11 ? '0' : static_cast<char>('0' + check);
}

}  // namespace

std::string weiquan_ok(const std::vector<std::string>& args) {
  const ProcessResult result = run_weiquan(args);
  INFO("weiquan " << args.front() << " " << (args.size() > 1 ? args[1] : "") << ": " << result.err);
  REQUIRE(result.exit_code == 0);
  return result.out;
}

namespace {

// The value of a `name: value` line of `weiquan user add`.
std::string printed(const std::string& out, const std::string& name) {
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(name + ": ", 0) == 0) return line.substr(name.size() + 2);
  }
  FAIL("weiquan user add printed no `" << name << ":` line:\n" << out);
  return {};
}

std::string padded(int value, int width) {
  std::string text = std::to_string(value);
  return std::string(static_cast<std::size_t>(std::max(0, width - static_cast<int>(text.size()))),
                     '0') +
         text;
}

}  // namespace

std::string make_uscc(std::string_view region6, std::string_view organization8) {
  std::string code = "91" + std::string(region6) + std::string(organization8);
  code.push_back(organization_check(organization8));
  const auto check = policies::uscc_check_character(code);
  REQUIRE(check.ok());
  code.push_back(check.value());
  return code;
}

std::string make_id_number(std::string_view first17) {
  const auto check = policies::id_check_character(first17);
  REQUIRE(check.ok());
  return std::string(first17) + check.value();
}

std::string with_wrong_check(std::string code) {
  code.back() = code.back() == '0' ? '1' : '0';
  return code;
}

std::int64_t working_days_after(std::int64_t start_ms, int count) {
  const auto& calendar = policies::Calendar::builtin();
  policies::DayNumber day = policies::cst_day(start_ms);
  while (count > 0) {
    ++day;
    if (calendar.is_working_day(day)) --count;
  }
  return policies::cst_day_end_ms(day);
}

std::string api_time(std::int64_t unix_ms) {
  return policies::format_time(unix_ms);
}

std::int64_t api_ms(const json& time) {
  // policies::parse_time refuses times beyond tomorrow, and deadlines lie further ahead: read
  // "YYYY-MM-DDTHH:MM:SS.mmm+08:00" (the form every answer uses) here.
  INFO("time " << time.dump());
  REQUIRE(time.is_string());
  const std::string text = time.get<std::string>();
  static const std::regex form(
      R"((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})\+08:00)");
  std::smatch m;
  REQUIRE(std::regex_match(text, m, form));
  const auto field = [&](int i) { return std::stoi(m[i].str()); };
  const policies::CivilDate date{field(1), field(2), field(3)};
  REQUIRE(policies::is_valid(date));
  return policies::day_number(date) * policies::kMsPerDay - policies::kCstOffsetMs +
         ((field(4) * 60 + field(5)) * 60 + field(6)) * 1000LL + field(7);
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string ApiAnswer::error_code() const {
  if (!body.is_object() || !body.contains("error")) return {};
  const json& code = body["error"]["code"];
  return code.is_string() ? code.get<std::string>() : std::string();
}

Office::Office(std::string county) : county_(std::move(county)) {
  // Staff accounts (weiquan user add) and consumers (hashed by the running node) alike.
  ::setenv("WEIQUAN_PASSWORD_COST", "minimum", 1);
  make_chain();
  import_businesses();
  officer_ = add_user("officer", "王芳");
  supervisor_ = add_user("supervisor", "李强");
  admin_ = add_user("admin", "运维张");
  shop_enterprise_ = add_user("enterprise", shop().name, shop().uscc);
  restaurant_enterprise_ = add_user("enterprise", restaurant().name, restaurant().uscc);
  start();
}

Office::~Office() {
  if (process_) {
    process_->send_signal(SIGTERM);
    process_->wait(deadline_in(10s));  // if it does not exit, ChildProcess kills it by pid
  }
}

std::string Office::county_dir() const {
  return tmp_ / county_;
}

void Office::make_chain() {
  const std::string province = county_.substr(0, 2);
  const std::string city = county_.substr(0, 4);
  weiquan_ok({"init", "--dir", tmp_ / "cn", "--level", "national", "--region", "cn"});
  weiquan_ok({"init", "--dir", tmp_ / province, "--level", "province", "--region", province});
  weiquan_ok({"init", "--dir", tmp_ / city, "--level", "city", "--region", city});
  weiquan_ok({"init", "--dir", county_dir(), "--level", "county", "--region", county_});
  weiquan_ok({"enroll", "--parent", tmp_ / "cn", "--child", tmp_ / province});
  weiquan_ok({"enroll", "--parent", tmp_ / province, "--child", tmp_ / city});
  weiquan_ok({"enroll", "--parent", tmp_ / city, "--child", county_dir()});
}

void Office::import_businesses() {
  // The next county code of the same city lies outside this county (110101 -> 110102).
  const std::string outside = county_.substr(0, 4) + padded(std::stoi(county_.substr(4)) + 1, 2);
  businesses_ = {
      {make_uscc(county_, "MA01AB2C"), "好运家电销售有限公司", county_, "一号大街 8 号"},
      {make_uscc(county_, "MA02CD3E"), "味美餐饮管理有限公司", county_, "二号胡同 16 号"},
      {make_uscc(outside, "MA03EF4G"), "邻区百货有限公司", outside, "三号路 1 号"},
  };
  std::ofstream csv(tmp_.file("businesses.csv"), std::ios::binary);
  csv << "uscc,name,region,address\n";
  for (const auto& b : businesses_) {
    csv << b.uscc << "," << b.name << "," << b.region << ",\"" << b.address << "\"\n";
  }
  csv.close();
  const std::string out =
      weiquan_ok({"business", "import", "--dir", county_dir(), "--file", tmp_ / "businesses.csv"});
  REQUIRE(out.find("added 3, updated 0, rejected 0") != std::string::npos);
}

StaffAccount add_staff(const std::string& dir, const std::string& role, const std::string& name,
                       const std::string& uscc) {
  std::vector<std::string> args{"user", "add", "--dir", dir, "--role", role, "--name", name};
  if (!uscc.empty()) {
    args.push_back("--uscc");
    args.push_back(uscc);
  }
  const std::string out = weiquan_ok(args);
  StaffAccount account{printed(out, "account"),
                       printed(out, "login"),
                       printed(out, "password"),
                       printed(out, "role"),
                       name,
                       uscc};
  REQUIRE(account.role == role);
  return account;
}

StaffAccount Office::add_user(const std::string& role, const std::string& name,
                              const std::string& uscc) {
  return add_staff(county_dir(), role, name, uscc);
}

std::unique_ptr<ChildProcess> start_node(const std::vector<std::string>& args,
                                         const std::filesystem::path& log, unsigned& port) {
  auto process = std::make_unique<ChildProcess>(WEIQUAN_BINARY, args, log);
  const auto line = process->read_line(deadline_in(20s));
  INFO("stderr: " << process->stderr_text());
  REQUIRE(line);
  std::smatch match;
  REQUIRE(std::regex_match(*line, match, std::regex(R"(listening on http://127\.0\.0\.1:(\d+))")));
  port = static_cast<unsigned>(std::stoul(match[1]));
  const auto deadline = deadline_in(20s);
  while (true) {
    const auto reply = HttpClient::fetch(port, "GET", "/health", deadline_in(5s));
    if (reply && reply->status == 200) return process;
    if (std::chrono::steady_clock::now() >= deadline) FAIL("the node did not answer /health");
  }
}

void Office::start() {
  REQUIRE(!process_);
  process_ = start_node({"run", "--dir", county_dir(), "--http", "127.0.0.1:0"},
                        tmp_.file("run-" + std::to_string(++runs_) + ".err"), port_);
}

void Office::send_sigterm() const {
  REQUIRE(process_);
  process_->send_signal(SIGTERM);
}

int Office::wait_exit() {
  REQUIRE(process_);
  const auto status = process_->wait(deadline_in(15s));
  last_log_ = process_->stderr_text();
  if (!status) return -1;  // the destructor kills it
  process_.reset();
  return *status;
}

int Office::stop() {
  send_sigterm();
  return wait_exit();
}

ApiAnswer http_request(unsigned port, const std::string& method, const std::string& target,
                       const std::string& token, const std::string& body,
                       const std::string& content_type) {
  std::string head = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  if (!token.empty()) head += "Authorization: Bearer " + token + "\r\n";
  if (!body.empty() || method == "POST") {
    head += "Content-Type: " + content_type + "\r\nContent-Length: " + std::to_string(body.size()) +
            "\r\n";
  }
  ApiAnswer answer;
  HttpClient client(port);
  if (!client.send_raw(head + "\r\n" + body)) return answer;
  const auto reply = client.read_reply(deadline_in(15s));
  if (!reply) return answer;
  answer.status = reply->status;
  answer.raw = reply->body;
  answer.content_type = reply->header("content-type");
  answer.body = json::parse(reply->body, nullptr, false);
  if (answer.body.is_discarded()) answer.body = nullptr;
  return answer;
}

ApiAnswer Office::request(const std::string& method, const std::string& target,
                          const std::string& token, const std::string& body,
                          const std::string& content_type) const {
  return http_request(port_, method, target, token, body, content_type);
}

ApiAnswer Office::get(const std::string& target, const std::string& token) const {
  return request("GET", target, token);
}

ApiAnswer Office::post(const std::string& target, const json& body,
                       const std::string& token) const {
  return request("POST", target, token, body.dump());
}

ApiAnswer Office::act(const std::string& id, const std::string& token, const json& action) const {
  return post("/api/v1/tickets/" + id + "/actions", action, token);
}

ApiAnswer Office::ticket(const std::string& id, const std::string& token) const {
  return get("/api/v1/tickets/" + id, token);
}

ApiAnswer Office::queue(const std::string& token, const std::string& query) const {
  return get("/api/v1/tickets" + (query.empty() ? "" : "?" + query), token);
}

bool Office::healthy() const {
  const auto reply = HttpClient::fetch(port_, "GET", "/health", deadline_in(5s));
  return reply && reply->status == 200;
}

std::string login_at(unsigned port, const std::string& login, const std::string& password) {
  const ApiAnswer answer = http_request(port, "POST", "/api/v1/login", "",
                                        json{{"login", login}, {"password", password}}.dump());
  INFO(answer.raw);
  REQUIRE(answer.status == 200);
  REQUIRE(answer.body.at("token").is_string());
  return answer.body["token"].get<std::string>();
}

Consumer register_consumer_at(unsigned port, const std::string& name, int serial) {
  Consumer consumer;
  consumer.name = name;
  consumer.phone = "1391234" + padded(serial % 10000, 4);
  consumer.id_number = make_id_number("11010519900307" + padded(serial % 1000, 3));
  consumer.address = "北京市朝阳区建国路 " + std::to_string(serial) + " 号";
  consumer.password = "consumer-pass-" + std::to_string(serial);
  const json person = {{"name", consumer.name},
                       {"id_number", consumer.id_number},
                       {"phone", consumer.phone},
                       {"address", consumer.address},
                       {"password", consumer.password}};
  const ApiAnswer answer = http_request(port, "POST", "/api/v1/consumers", "", person.dump());
  INFO(answer.raw);
  REQUIRE(answer.status == 201);
  CHECK(answer.body.at("role") == "consumer");
  CHECK(answer.body.at("login") == consumer.phone);
  consumer.account = answer.body.at("account").get<std::string>();
  consumer.token = login_at(port, consumer.phone, consumer.password);
  return consumer;
}

json file_at(unsigned port, const json& ticket, const std::string& token) {
  const ApiAnswer answer = http_request(port, "POST", "/api/v1/tickets", token, ticket.dump());
  INFO(answer.raw);
  REQUIRE(answer.status == 201);
  REQUIRE(answer.body.at("id").is_string());
  return answer.body;
}

std::string Office::login(const std::string& login, const std::string& password) const {
  return login_at(port_, login, password);
}

Consumer Office::register_consumer(const std::string& name, int serial) const {
  return register_consumer_at(port_, name, serial);
}

json Office::file(const json& ticket, const std::string& token) const {
  return file_at(port_, ticket, token);
}

json complaint_about(const BusinessRow& business, const std::string& category) {
  return {{"type", "complaint"},
          {"business", {{"uscc", business.uscc}}},
          {"category", category},
          {"brand", "海风"},
          {"amount", "1299.00"},
          {"description", "购买的空调安装三天后不制冷，\n商家拒绝上门维修。"},
          {"demands", "退货并退还全部货款"},
          {"consent_disclosure", true}};
}

json report_about(const BusinessRow& business) {
  return {{"type", "report"},
          {"business", {{"uscc", business.uscc}}},
          {"violation_category", "虚假宣传"},
          {"description", "店内宣传单标注“全国销量第一”，无任何依据。"}};
}

json hotline_complaint(const BusinessRow& business, const std::string& category,
                       const Consumer& caller, std::int64_t received_ms) {
  return {{"type", "complaint"},
          {"channel", "hotline"},
          {"received_at", api_time(received_ms)},
          {"business", {{"uscc", business.uscc}}},
          {"category", category},
          {"description", "来电反映：购买的空调不制冷。"},
          {"demands", "维修或退货"},
          {"consumer", {{"name", caller.name}, {"phone", caller.phone}}}};
}

void require_error(const ApiAnswer& answer, int status, const std::string& code) {
  INFO("answer " << answer.status << ": " << answer.raw);
  REQUIRE(answer.status == status);
  CHECK(answer.content_type == "application/json");
  CHECK(answer.error_code() == code);
  CHECK(answer.body["error"]["message"].is_string());
}

std::vector<std::string> timeline_kinds(const json& ticket) {
  std::vector<std::string> kinds;
  for (const auto& event : ticket.at("timeline")) kinds.push_back(event.at("kind"));
  return kinds;
}

std::vector<json> events_of(const json& ticket, const std::string& kind) {
  std::vector<json> found;
  for (const auto& event : ticket.at("timeline")) {
    if (event.at("kind") == kind) found.push_back(event);
  }
  return found;
}

json deadline_named(const json& ticket, const std::string& name) {
  for (const auto& deadline : ticket.at("deadlines")) {
    if (deadline.at("name") == name) return deadline;
  }
  return nullptr;
}

std::vector<std::string> queue_ids(const ApiAnswer& queue) {
  INFO(queue.raw);
  REQUIRE(queue.status == 200);
  std::vector<std::string> ids;
  for (const auto& row : queue.body.at("tickets")) ids.push_back(row.at("id"));
  return ids;
}

}  // namespace wq::testing

#include "weiquan/node/accounts.h"

#include <catch2/catch.hpp>
#include <set>
#include <thread>

#include "office_fixture.h"
#include "temp_dir.h"
#include "weiquan/crypto/hash.h"
#include "weiquan/crypto/seal.h"

namespace wq::node {
namespace {

using testing::TempDir;

constexpr std::int64_t kNow = 1'776'000'000'000;  // 2026-04-12
constexpr std::int64_t kHour = 3600 * 1000;
constexpr std::string_view kPassword = "consumer password 1";

PersonalData zhang_san() {
  return {"张三", "11010519491231002X", "13812345678", "北京市东城区东华门街道1号"};
}

// An office database and Accounts at the minimum password cost, in a temporary directory.
struct Office {
  TempDir tmp;
  crypto::BoxKeyPair box = crypto::BoxKeyPair::generate();
  OfficeDb db = OfficeDb::open(tmp.file("office.db")).value();
  Accounts accounts = open_accounts();

  Accounts open_accounts(AccountsOptions options = {.cost = crypto::PasswordCost::minimum()}) {
    auto opened = Accounts::open(db, box, options);
    REQUIRE(opened.ok());
    return std::move(*opened);
  }
  NewAccount staff(Role role, std::string name, std::string uscc = "", std::string login = "") {
    auto added = accounts.add_staff(role, std::move(name), std::move(uscc), std::move(login));
    INFO((added ? "" : added.error().message));
    REQUIRE(added.ok());
    return std::move(*added);
  }
  Principal consumer(PersonalData person = zhang_san()) {
    auto registered = accounts.register_consumer(std::move(person), kPassword, kNow);
    INFO((registered ? "" : registered.error().message));
    REQUIRE(registered.ok());
    return std::move(*registered);
  }
};

template <class T>
std::string error_code(const Result<T>& result) {
  return result ? "ok" : result.error().code;
}

TEST_CASE("account roles by name, and system is not one", "[accounts]") {
  CHECK(parse_role("officer").value() == Role::officer);
  CHECK(parse_role("consumer").value() == Role::consumer);
  CHECK(role_name(Role::association) == "association");
  CHECK(error_code(parse_role("system")) == "node.bad_role");
  CHECK(error_code(parse_role("Officer")) == "node.bad_role");
}

TEST_CASE("staff accounts get numbered logins and a generated password", "[accounts]") {
  Office office;
  const NewAccount first = office.staff(Role::officer, "李四");
  const NewAccount second = office.staff(Role::officer, "王五");
  const NewAccount admin = office.staff(Role::admin, "管理员");
  CHECK(first.login == "officer-1");
  CHECK(second.login == "officer-2");
  CHECK(admin.login == "admin-1");
  CHECK(first.principal.account_id.rfind("s-", 0) == 0);
  CHECK(first.principal.account_id.size() == 18);
  CHECK(first.principal.account_id != second.principal.account_id);
  CHECK(first.principal.name == "李四");
  CHECK(first.password.size() == 20);
  CHECK(first.password != second.password);
  CHECK(first.password.find_first_of("01OoIl") == std::string::npos);

  auto session = office.accounts.login("officer-1", first.password, kNow);
  REQUIRE(session.ok());
  CHECK(session->principal.account_id == first.principal.account_id);
  CHECK(session->principal.role == Role::officer);
  CHECK(session->expires_at_ms == kNow + kDefaultSessionTtlMs);

  auto found = office.accounts.find(first.principal.account_id);
  REQUIRE(found.ok());
  REQUIRE(found->has_value());
  CHECK((*found)->name == "李四");
  CHECK_FALSE(office.accounts.find("s-0000000000000000").value().has_value());
}

TEST_CASE("a default login skips numbers already taken", "[accounts]") {
  Office office;
  office.staff(Role::supervisor, "甲", "", "supervisor-2");
  CHECK(office.staff(Role::supervisor, "乙").login == "supervisor-3");
  CHECK(office.staff(Role::supervisor, "丙").login == "supervisor-4");
}

TEST_CASE("staff accounts are checked before they are added", "[accounts]") {
  Office office;
  const std::string uscc = testing::make_uscc(1);
  const NewAccount enterprise = office.staff(Role::enterprise, "某某电器有限公司", uscc);
  CHECK(enterprise.principal.uscc == uscc);
  CHECK(enterprise.login == "enterprise-1");
  CHECK(office.accounts.login("enterprise-1", enterprise.password, kNow)->principal.uscc == uscc);

  auto& a = office.accounts;
  CHECK(error_code(a.add_staff(Role::consumer, "张三", "", "")) == "node.bad_role");
  CHECK(error_code(a.add_staff(Role::system, "节点", "", "")) == "node.bad_role");
  CHECK(error_code(a.add_staff(Role::enterprise, "无代码公司", "", "")) == "policies.invalid_uscc");
  std::string wrong = uscc;
  wrong.back() = wrong.back() == 'A' ? 'B' : 'A';
  CHECK(error_code(a.add_staff(Role::enterprise, "错代码公司", wrong, "")) ==
        "policies.invalid_uscc");
  CHECK(error_code(a.add_staff(Role::officer, "李四", uscc, "")) == "node.bad_field");
  CHECK(error_code(a.add_staff(Role::officer, "", "", "")) == "node.bad_field");
  CHECK(error_code(a.add_staff(Role::officer, std::string(51, 'x'), "", "")) ==
        "policies.text_too_long");
  CHECK(error_code(a.add_staff(Role::officer, "李\n四", "", "")) == "policies.invalid_text");
  for (const char* login : {"ab", "Officer", "1officer", "13812345678", "li si", "李四"}) {
    INFO(login);
    CHECK(error_code(a.add_staff(Role::officer, "李四", "", login)) == "node.bad_field");
  }
  office.staff(Role::officer, "李四", "", "li.si");
  CHECK(error_code(a.add_staff(Role::admin, "李四", "", "li.si")) == "node.account_exists");
  CHECK(error_code(a.add_staff(Role::officer, "李四", "", "enterprise-1")) ==
        "node.account_exists");
}

TEST_CASE("a wrong password and an unknown login fail alike", "[accounts]") {
  Office office;
  const NewAccount officer = office.staff(Role::officer, "李四");
  auto wrong = office.accounts.login("officer-1", "not the password", kNow);
  auto unknown = office.accounts.login("officer-9", officer.password, kNow);
  auto too_long = office.accounts.login("officer-1", std::string(5000, 'x'), kNow);
  auto empty = office.accounts.login("", "", kNow);
  for (const auto* failed : {&wrong, &unknown, &too_long, &empty}) {
    REQUIRE_FALSE(failed->ok());
    CHECK(failed->error().code == "node.bad_credentials");
    CHECK(failed->error().message == wrong.error().message);
  }
}

TEST_CASE("a consumer registers with real-name data and logs in by phone", "[accounts]") {
  Office office;
  const Principal consumer = office.consumer();
  CHECK(consumer.role == Role::consumer);
  CHECK(consumer.account_id.rfind("c-", 0) == 0);
  CHECK(consumer.account_id.size() == 18);
  CHECK(consumer.account_id.find("13812345678") == std::string::npos);
  CHECK(consumer.name.empty());

  for (const char* phone : {"13812345678", "+8613812345678"}) {
    auto session = office.accounts.login(phone, kPassword, kNow);
    REQUIRE(session.ok());
    CHECK(session->principal.account_id == consumer.account_id);
    CHECK(session->principal.name.empty());
  }
  auto person = office.accounts.personal_data(consumer.account_id);
  REQUIRE(person.ok());
  CHECK(person->name == "张三");
  CHECK(person->id_number == "11010519491231002X");
  CHECK(person->phone == "13812345678");
  CHECK(person->address == "北京市东城区东华门街道1号");

  PersonalData again = zhang_san();
  again.name = "张三丰";
  again.phone = "+86 13812345678";
  auto twice = office.accounts.register_consumer(again, kPassword, kNow);
  INFO((twice ? "registered twice" : twice.error().message));
  CHECK(error_code(twice) == "node.account_exists");
}

TEST_CASE("a consumer's data is checked at registration", "[accounts]") {
  Office office;
  auto with = [&](auto change, std::string_view password = kPassword) {
    PersonalData person = zhang_san();
    change(person);
    return error_code(office.accounts.register_consumer(person, password, kNow));
  };
  CHECK(with([](PersonalData& p) { p.name.clear(); }) == "node.bad_field");
  CHECK(with([](PersonalData& p) { p.name = std::string(51, 'x'); }) == "policies.text_too_long");
  CHECK(with([](PersonalData& p) { p.id_number = "110105194912310021"; }) ==
        "policies.invalid_id_number");
  CHECK(with([](PersonalData& p) { p.id_number.clear(); }) == "policies.invalid_id_number");
  CHECK(with([](PersonalData& p) { p.phone = "1381234567"; }) == "policies.invalid_phone");
  CHECK(with([](PersonalData& p) { p.phone = "010-62345678"; }) == "policies.invalid_phone");
  CHECK(with([](PersonalData& p) { p.address = std::string(201, 'x'); }) ==
        "policies.text_too_long");
  CHECK(with([](PersonalData&) {}, "short") == "crypto.weak_password");
  CHECK(with([](PersonalData& p) { p.address.clear(); }) == "ok");
}

TEST_CASE("personal data is only for consumer accounts", "[accounts]") {
  Office office;
  const NewAccount officer = office.staff(Role::officer, "李四");
  CHECK(error_code(office.accounts.personal_data(officer.principal.account_id)) ==
        "node.unknown_account");
  CHECK(error_code(office.accounts.personal_data("c-0000000000000000")) == "node.unknown_account");
}

TEST_CASE("personal data and phone numbers are not in clear in office.db", "[accounts]") {
  Office office;
  const Principal consumer = office.consumer();
  const std::string raw = testing::raw_database_bytes(office.tmp.file("office.db"));
  REQUIRE(raw.find(consumer.account_id) != std::string::npos);  // the file was read
  const PersonalData person = zhang_san();
  for (const std::string& secret : {person.name, person.id_number, person.phone, person.address}) {
    INFO(secret);
    CHECK(raw.find(secret) == std::string::npos);
  }
}

TEST_CASE("the personal data is sealed to the node's box key", "[accounts]") {
  Office office;
  const Principal consumer = office.consumer();
  Office other;
  auto stranger = Accounts::open(office.db, other.box, {.cost = crypto::PasswordCost::minimum()});
  REQUIRE(stranger.ok());
  CHECK(error_code(stranger->personal_data(consumer.account_id)) == "crypto.seal_open_failed");
}

TEST_CASE("sessions expire, end at logout and survive a restart", "[accounts]") {
  Office office;
  const NewAccount officer = office.staff(Role::officer, "李四");
  auto session = office.accounts.login(officer.login, officer.password, kNow);
  REQUIRE(session.ok());
  CHECK(session->token.size() == 43);
  CHECK(session->token.find_first_not_of(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
        std::string::npos);

  auto& a = office.accounts;
  CHECK(a.authenticate(session->token, kNow + 1).value().account_id ==
        officer.principal.account_id);
  CHECK(a.authenticate(session->token, session->expires_at_ms - 1).ok());

  SECTION("a fresh Accounts reads the session from office.db") {
    Accounts restarted = office.open_accounts();
    CHECK(restarted.authenticate(session->token, kNow + kHour).value().name == "李四");
    CHECK(error_code(restarted.authenticate(session->token, session->expires_at_ms)) ==
          "node.session_expired");
  }
  SECTION("expired") {
    CHECK(error_code(a.authenticate(session->token, session->expires_at_ms)) ==
          "node.session_expired");
  }
  SECTION("unknown tokens") {
    std::string altered = session->token;
    altered[0] = altered[0] == 'A' ? 'B' : 'A';
    CHECK(error_code(a.authenticate(altered, kNow)) == "node.unauthenticated");
    CHECK(error_code(a.authenticate("", kNow)) == "node.unauthenticated");
    CHECK(error_code(a.authenticate(std::string(100000, 'A'), kNow)) == "node.unauthenticated");
  }
  SECTION("logout") {
    REQUIRE(a.logout(session->token).ok());
    CHECK(error_code(a.authenticate(session->token, kNow + 1)) == "node.unauthenticated");
    Accounts restarted = office.open_accounts();
    CHECK(error_code(restarted.authenticate(session->token, kNow + 1)) == "node.unauthenticated");
    CHECK(a.logout(session->token).ok());
  }
  SECTION("each login is its own session") {
    auto second = a.login(officer.login, officer.password, kNow + 2);
    REQUIRE(second.ok());
    CHECK(second->token != session->token);
    REQUIRE(a.logout(session->token).ok());
    CHECK(a.authenticate(second->token, kNow + 3).ok());
  }
}

TEST_CASE("the session lifetime is an option", "[accounts]") {
  Office office;
  const NewAccount officer = office.staff(Role::officer, "李四");
  Accounts short_lived =
      office.open_accounts({.cost = crypto::PasswordCost::minimum(), .session_ttl_ms = 1000});
  auto session = short_lived.login(officer.login, officer.password, kNow);
  REQUIRE(session.ok());
  CHECK(session->expires_at_ms == kNow + 1000);
  CHECK(short_lived.authenticate(session->token, kNow + 999).ok());
  CHECK(error_code(short_lived.authenticate(session->token, kNow + 1000)) ==
        "node.session_expired");
}

TEST_CASE("tokens are stored only as hashes", "[accounts]") {
  Office office;
  const NewAccount officer = office.staff(Role::officer, "李四");
  auto session = office.accounts.login(officer.login, officer.password, kNow);
  REQUIRE(session.ok());

  auto reader =
      sync::sql::Db::open(office.tmp.file("office.db"), sync::sql::Db::Mode::read_only, 1000);
  REQUIRE(reader.ok());
  auto stmt = reader->prepare("SELECT token_hash, account_id, expires_at_ms FROM sessions");
  REQUIRE(stmt.ok());
  REQUIRE(stmt->step().value());
  const crypto::ByteView stored = stmt->blob(0);
  const crypto::Hash expected = crypto::blake2b_256(crypto::as_bytes(session->token));
  CHECK(std::equal(stored.begin(), stored.end(), expected.begin(), expected.end()));
  CHECK(stmt->text(1) == officer.principal.account_id);
  CHECK(stmt->int64(2) == session->expires_at_ms);
  CHECK_FALSE(stmt->step().value());

  const std::string raw = testing::raw_database_bytes(office.tmp.file("office.db"));
  CHECK(raw.find(session->token) == std::string::npos);
  CHECK(raw.find(officer.password) == std::string::npos);
}

TEST_CASE("a hash made at another cost is replaced at login", "[accounts]") {
  Office office;
  const NewAccount officer = office.staff(Role::officer, "李四");
  const crypto::PasswordCost stronger{2, 16 * 1024};
  Accounts upgraded = office.open_accounts({.cost = stronger});
  REQUIRE(upgraded.login(officer.login, officer.password, kNow).ok());

  auto lock = office.db.lock();
  auto stmt = lock.statement("SELECT password_hash FROM accounts WHERE login = 'officer-1'");
  REQUIRE(stmt.ok());
  REQUIRE((*stmt)->step().value());
  CHECK_FALSE(crypto::needs_rehash((*stmt)->text(0), stronger));
}

TEST_CASE("consumer_key recognises one phone in its forms, per node", "[accounts]") {
  Office office;
  const std::string key = office.accounts.consumer_key("13812345678");
  CHECK(key.size() == 64);
  CHECK(office.accounts.consumer_key("+86 13812345678") == key);
  CHECK(office.accounts.consumer_key("+8613812345678") == key);
  CHECK(office.accounts.consumer_key("13812345679") != key);
  CHECK(office.open_accounts().consumer_key("13812345678") == key);  // the key is kept
  Office other;
  CHECK(other.accounts.consumer_key("13812345678") != key);
  CHECK(office.accounts.consumer_key("not a phone") == office.accounts.consumer_key("not a phone"));
  // The same office.db under another node key: the phone hashes cannot be reproduced without it.
  const crypto::BoxKeyPair thief = crypto::BoxKeyPair::generate();
  auto stolen = Accounts::open(office.db, thief, {.cost = crypto::PasswordCost::minimum()});
  REQUIRE(stolen.ok());
  CHECK(stolen->consumer_key("13812345678") != key);
}

TEST_CASE("a consumer's identity comes sealed as stored, with their consumer key", "[accounts]") {
  Office office;
  const Principal consumer = office.consumer();
  auto identity = office.accounts.sealed_identity(consumer.account_id);
  REQUIRE(identity.ok());
  CHECK(identity->consumer_key == office.accounts.consumer_key(zhang_san().phone));
  auto plain = crypto::open_sealed(office.box, identity->sealed);
  REQUIRE(plain.ok());
  auto person = decode_personal_data(
      std::string_view(reinterpret_cast<const char*>(plain->data()), plain->size()));
  REQUIRE(person.ok());
  CHECK(person->id_number == zhang_san().id_number);
  CHECK(office.accounts.sealed_identity("c-0000000000000000").error().code ==
        "node.unknown_account");
}

TEST_CASE("personal data encodes to the documented JSON", "[accounts]") {
  const PersonalData person = zhang_san();
  const std::string json = encode_personal_data(person);
  auto back = decode_personal_data(json);
  REQUIRE(back.ok());
  CHECK(back->name == person.name);
  CHECK(back->address == person.address);
  for (const char* bad :
       {"", "[]", "{\"name\":\"x\"}", R"({"name":"a","id_number":"b","phone":"c","address":1})",
        R"({"name":"a","id_number":"b","phone":"c","address":"d","x":"e"})"}) {
    INFO(bad);
    CHECK(error_code(decode_personal_data(bad)) == "node.bad_personal_data");
  }
}

TEST_CASE("threads log in and authenticate at once", "[accounts]") {
  Office office;
  const NewAccount officer = office.staff(Role::officer, "李四");
  constexpr int kThreads = 4;
  std::vector<std::string> tokens(kThreads);
  std::vector<int> failures(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        auto session = office.accounts.login(officer.login, officer.password, kNow);
        if (!session) {
          ++failures[t];
          continue;
        }
        if (!office.accounts.authenticate(session->token, kNow + 1)) ++failures[t];
        tokens[t] = session->token;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(failures == std::vector<int>(kThreads, 0));
  CHECK(std::set<std::string>(tokens.begin(), tokens.end()).size() == kThreads);
}

}  // namespace
}  // namespace wq::node

// `weiquan user add` and `weiquan business import`, run as the real binary.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "office_fixture.h"
#include "process.h"
#include "temp_dir.h"
#include "weiquan/crypto/key_file.h"
#include "weiquan/node/accounts.h"
#include "weiquan/node/business_directory.h"
#include "weiquan/node/node_dir.h"

namespace wq::node {
namespace {

using testing::run_weiquan;
using testing::TempDir;

constexpr std::int64_t kNow = 1'776'000'000'000;

// A national node (it needs no enrolment) in tmp/cn, with cheap password hashing unless told.
std::string make_node(const TempDir& tmp, bool cheap_passwords = true) {
  if (cheap_passwords) {
    ::setenv("WEIQUAN_PASSWORD_COST", "minimum", 1);
  } else {
    ::unsetenv("WEIQUAN_PASSWORD_COST");
  }
  const auto init =
      run_weiquan({"init", "--dir", tmp / "cn", "--level", "national", "--region", "cn"});
  INFO(init.err);
  REQUIRE(init.exit_code == 0);
  return tmp / "cn";
}

std::map<std::string, std::string> key_values(const std::string& text) {
  std::map<std::string, std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    const auto colon = line.find(": ");
    REQUIRE(colon != std::string::npos);
    out[line.substr(0, colon)] = line.substr(colon + 2);
  }
  return out;
}

// Logs in to the node's office database in-process, as `weiquan run` would.
Result<Session> login(const std::string& dir, const std::string& user,
                      const std::string& password) {
  const NodeDir node{dir};
  auto keys = crypto::read_key_file(node.key_path());
  REQUIRE(keys.ok());
  auto db = OfficeDb::open(node.office_path());
  REQUIRE(db.ok());
  auto accounts = Accounts::open(*db, keys->box, {.cost = crypto::PasswordCost::minimum()});
  REQUIRE(accounts.ok());
  return accounts->login(user, password, kNow);
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  REQUIRE(out.good());
}

TEST_CASE("user add prints credentials that log in", "[cli][accounts]") {
  TempDir tmp;
  const std::string dir = make_node(tmp);
  const auto added =
      run_weiquan({"user", "add", "--dir", dir, "--role", "officer", "--name", "李四"});
  INFO(added.err);
  REQUIRE(added.exit_code == 0);
  auto fields = key_values(added.out);
  CHECK(fields.size() == 4);
  CHECK(fields["login"] == "officer-1");
  CHECK(fields["role"] == "officer");
  CHECK(fields["account"].rfind("s-", 0) == 0);
  CHECK(fields["password"].size() == 20);

  auto session = login(dir, "officer-1", fields["password"]);
  REQUIRE(session.ok());
  CHECK(session->principal.account_id == fields["account"]);
  CHECK(session->principal.name == "李四");

  const auto second = run_weiquan({"user", "add", "--dir", dir, "--role", "enterprise", "--name",
                                   "某某电器有限公司", "--uscc", testing::make_uscc(7), "--login",
                                   "mouwei.dianqi"});
  INFO(second.err);
  REQUIRE(second.exit_code == 0);
  CHECK(key_values(second.out)["login"] == "mouwei.dianqi");
  CHECK(login(dir, "mouwei.dianqi", key_values(second.out)["password"])->principal.uscc ==
        testing::make_uscc(7));
}

TEST_CASE("user add refuses bad requests", "[cli][accounts]") {
  TempDir tmp;
  const std::string dir = make_node(tmp);
  const auto fails_with = [](const std::vector<std::string>& args, const std::string& code) {
    const auto r = run_weiquan(args);
    INFO(r.out << r.err);
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("error: " + code + ":") != std::string::npos);
    CHECK(r.out.empty());
  };
  fails_with({"user", "add", "--dir", dir, "--role", "consumer", "--name", "张三"},
             "node.bad_role");
  fails_with({"user", "add", "--dir", dir, "--role", "chief", "--name", "张三"}, "node.bad_role");
  fails_with({"user", "add", "--dir", dir, "--role", "enterprise", "--name", "某公司"},
             "policies.invalid_uscc");
  fails_with({"user", "add", "--dir", dir, "--role", "officer", "--name", "李四", "--uscc",
              testing::make_uscc(1)},
             "node.bad_field");
  fails_with({"user", "add", "--dir", tmp / "nothing", "--role", "officer", "--name", "李四"},
             "node.config_missing");
  REQUIRE(run_weiquan({"user", "add", "--dir", dir, "--role", "admin", "--name", "管理员",
                       "--login", "root.admin"})
              .exit_code == 0);
  fails_with(
      {"user", "add", "--dir", dir, "--role", "officer", "--name", "李四", "--login", "root.admin"},
      "node.account_exists");

  CHECK(run_weiquan({"user", "add", "--dir", dir, "--role", "officer"}).exit_code == 2);
  CHECK(run_weiquan({"user", "--dir", dir}).exit_code == 2);
}

TEST_CASE("user add hashes at the interactive cost by default", "[cli][accounts]") {
  TempDir tmp;
  const std::string dir = make_node(tmp, /*cheap_passwords=*/false);
  const auto added =
      run_weiquan({"user", "add", "--dir", dir, "--role", "officer", "--name", "李四"});
  ::setenv("WEIQUAN_PASSWORD_COST", "minimum", 1);
  INFO(added.err);
  REQUIRE(added.exit_code == 0);
  auto db = OfficeDb::open(NodeDir{dir}.office_path());
  REQUIRE(db.ok());
  auto lock = db->lock();
  auto stmt = lock.statement("SELECT password_hash FROM accounts");
  REQUIRE(stmt.ok());
  REQUIRE((*stmt)->step().value());
  CHECK_FALSE(crypto::needs_rehash((*stmt)->text(0), crypto::PasswordCost::interactive()));
}

TEST_CASE("business import reports what it added and rejected", "[cli][business_directory]") {
  TempDir tmp;
  const std::string dir = make_node(tmp);
  write_file(tmp / "businesses.csv", "uscc,name,region,address\n" + testing::make_uscc(1) +
                                         ",甲商店,440305,地址\n" + testing::make_uscc(2) +
                                         ",\"乙, 商店\",110101001,\n" + testing::make_uscc(3) +
                                         ",丙商店,449999,\n");
  const auto imported =
      run_weiquan({"business", "import", "--dir", dir, "--file", tmp / "businesses.csv"});
  INFO(imported.err);
  REQUIRE(imported.exit_code == 0);
  CHECK(imported.out.rfind("added 2, updated 0, rejected 1\nline 4: ", 0) == 0);

  auto db = OfficeDb::open(NodeDir{dir}.office_path());
  REQUIRE(db.ok());
  BusinessDirectory directory(*db);
  auto found = directory.find_by_uscc(testing::make_uscc(2));
  REQUIRE(found.ok());
  REQUIRE(found->has_value());
  CHECK((*found)->name == "乙, 商店");

  const auto again =
      run_weiquan({"business", "import", "--dir", dir, "--file", tmp / "businesses.csv"});
  CHECK(again.exit_code == 0);
  CHECK(again.out.rfind("added 0, updated 2, rejected 1\n", 0) == 0);
}

TEST_CASE("business import fails when nothing can be imported", "[cli][business_directory]") {
  TempDir tmp;
  const std::string dir = make_node(tmp);
  write_file(tmp / "bad.csv", "uscc,name,region,address\nnot-a-code,甲,440305,\n");
  const auto all_bad = run_weiquan({"business", "import", "--dir", dir, "--file", tmp / "bad.csv"});
  CHECK(all_bad.exit_code == 1);
  CHECK(all_bad.out.rfind("added 0, updated 0, rejected 1\nline 2: ", 0) == 0);
  CHECK(all_bad.err.find("node.bad_csv") != std::string::npos);

  const auto missing =
      run_weiquan({"business", "import", "--dir", dir, "--file", tmp / "missing.csv"});
  CHECK(missing.exit_code == 1);
  CHECK(missing.err.find("error: node.io:") != std::string::npos);

  write_file(tmp / "headless.csv", testing::make_uscc(1) + ",甲,440305,\n");
  const auto headless =
      run_weiquan({"business", "import", "--dir", dir, "--file", tmp / "headless.csv"});
  CHECK(headless.exit_code == 1);
  CHECK(headless.err.find("error: node.bad_csv:") != std::string::npos);

  CHECK(run_weiquan({"business", "import", "--dir", dir}).exit_code == 2);
}

TEST_CASE("business import shows progress on standard error", "[cli][business_directory]") {
  TempDir tmp;
  const std::string dir = make_node(tmp);
  std::string csv = "uscc,name,region,address\n";
  for (unsigned i = 0; i < 100'001; ++i) {
    csv += testing::make_uscc(i) + ",商店" + std::to_string(i) + ",440305,\n";
  }
  write_file(tmp / "many.csv", csv);
  const auto imported =
      run_weiquan({"business", "import", "--dir", dir, "--file", tmp / "many.csv"});
  INFO(imported.err);
  REQUIRE(imported.exit_code == 0);
  CHECK(imported.out == "added 100001, updated 0, rejected 0\n");
  CHECK(imported.err == "100000 rows read\n");
}

}  // namespace
}  // namespace wq::node

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "process.h"
#include "temp_dir.h"

using wq::testing::run_weiquan;
using wq::testing::TempDir;

namespace {

void require_ok(const wq::testing::ProcessResult& r) {
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  REQUIRE(r.exit_code == 0);
}

// national cn → province 44 → city 4403 → county 440305, each enrolled by its parent.
void make_tree(const TempDir& tmp) {
  require_ok(run_weiquan({"init", "--dir", tmp / "cn", "--level", "national", "--region", "cn"}));
  const std::vector<std::array<std::string, 3>> tree{
      {"44", "province", "cn"}, {"4403", "city", "44"}, {"440305", "county", "4403"}};
  for (const auto& [id, level, parent] : tree) {
    require_ok(run_weiquan({"init", "--dir", tmp / id, "--level", level, "--region", id}));
    require_ok(run_weiquan({"enroll", "--parent", tmp / parent, "--child", tmp / id}));
  }
}

std::size_t count_lines_containing(const std::string& text, const std::string& needle) {
  std::istringstream in(text);
  std::size_t n = 0;
  for (std::string line; std::getline(in, line);) n += line.find(needle) != std::string::npos;
  return n;
}

}  // namespace

TEST_CASE("init creates a national node that is its own trust anchor", "[cli]") {
  TempDir tmp;
  const auto init =
      run_weiquan({"init", "--dir", tmp / "cn", "--level", "national", "--region", "cn"});
  require_ok(init);
  const auto anchor = run_weiquan({"anchor", "--dir", tmp / "cn"});
  require_ok(anchor);
  REQUIRE(anchor.out.size() == 65);  // 64 hex digits and a newline
  CHECK(init.out.find(anchor.out.substr(0, 64)) != std::string::npos);

  struct stat st {};
  REQUIRE(::stat((tmp / "cn/node.key").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  REQUIRE(::stat((tmp / "cn").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);

  const auto verify = run_weiquan({"verify", "--dir", tmp / "cn"});
  require_ok(verify);
  CHECK(verify.out.rfind("ok", 0) == 0);
}

TEST_CASE("enroll builds a chain from the anchor to a county", "[cli]") {
  TempDir tmp;
  make_tree(tmp);
  const auto anchor_cn = run_weiquan({"anchor", "--dir", tmp / "cn"});
  const auto anchor_county = run_weiquan({"anchor", "--dir", tmp / "440305"});
  require_ok(anchor_county);
  CHECK(anchor_county.out == anchor_cn.out);

  const auto verify = run_weiquan({"verify", "--dir", tmp / "440305"});
  require_ok(verify);
  const auto exported = run_weiquan({"export", "--dir", tmp / "440305"});
  require_ok(exported);
  CHECK(count_lines_containing(exported.out, "\"type\":\"certificate\"") == 4);
}

TEST_CASE("init refuses regions that do not exist or do not fit the level", "[cli]") {
  TempDir tmp;
  const auto unknown =
      run_weiquan({"init", "--dir", tmp / "x", "--level", "county", "--region", "119999"});
  CHECK(unknown.exit_code == 1);
  CHECK(unknown.err.find("node.bad_region") != std::string::npos);

  const auto wrong_level =
      run_weiquan({"init", "--dir", tmp / "y", "--level", "county", "--region", "44"});
  CHECK(wrong_level.exit_code == 1);
  CHECK(wrong_level.err.find("node.level_mismatch") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(tmp / "x"));
  CHECK_FALSE(std::filesystem::exists(tmp / "y"));

  const auto usage = run_weiquan({"init", "--dir", tmp / "z", "--level", "county"});
  CHECK(usage.exit_code == 2);
}

TEST_CASE("init refuses to overwrite an existing node", "[cli]") {
  TempDir tmp;
  require_ok(run_weiquan({"init", "--dir", tmp / "cn", "--level", "national", "--region", "cn"}));
  const auto anchor = run_weiquan({"anchor", "--dir", tmp / "cn"});
  const auto again =
      run_weiquan({"init", "--dir", tmp / "cn", "--level", "national", "--region", "cn"});
  CHECK(again.exit_code == 1);
  CHECK(again.err.find("node.exists") != std::string::npos);
  CHECK(run_weiquan({"anchor", "--dir", tmp / "cn"}).out == anchor.out);
}

TEST_CASE("enroll refuses a child outside the parent's region or not below it", "[cli]") {
  TempDir tmp;
  make_tree(tmp);
  require_ok(
      run_weiquan({"init", "--dir", tmp / "110101", "--level", "county", "--region", "110101"}));
  const auto outside = run_weiquan({"enroll", "--parent", tmp / "4403", "--child", tmp / "110101"});
  CHECK(outside.exit_code == 1);
  CHECK(outside.err.find("node.not_parent") != std::string::npos);

  require_ok(run_weiquan({"init", "--dir", tmp / "4401", "--level", "city", "--region", "4401"}));
  const auto sideways = run_weiquan({"enroll", "--parent", tmp / "4403", "--child", tmp / "4401"});
  CHECK(sideways.exit_code == 1);
  CHECK(sideways.err.find("node.level_mismatch") != std::string::npos);

  const auto not_enrolled = run_weiquan({"verify", "--dir", tmp / "4401"});
  CHECK(not_enrolled.exit_code == 1);
  CHECK(not_enrolled.err.find("node.not_enrolled") != std::string::npos);
}

TEST_CASE("enroll refuses a parent key file that others can read", "[cli]") {
  TempDir tmp;
  make_tree(tmp);
  REQUIRE(::chmod((tmp / "4403/node.key").c_str(), 0644) == 0);
  require_ok(
      run_weiquan({"init", "--dir", tmp / "440304", "--level", "county", "--region", "440304"}));
  const auto refused = run_weiquan({"enroll", "--parent", tmp / "4403", "--child", tmp / "440304"});
  CHECK(refused.exit_code == 1);
  CHECK(refused.err.find("crypto.key_file_permissions") != std::string::npos);
  CHECK(run_weiquan({"verify", "--dir", tmp / "440304"}).exit_code == 1);
}

TEST_CASE("the version flag names the release", "[cli]") {
  const auto version = run_weiquan({"--version"});
  require_ok(version);
  CHECK(version.out.rfind("weiquan ", 0) == 0);
}

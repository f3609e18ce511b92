#include "weiquan/crypto/key_file.h"

#include <sys/stat.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "weiquan/crypto/random.h"

namespace wq::crypto {
namespace {

namespace fs = std::filesystem;

const std::string kSeedHex(64, 'a');
const std::string kBoxHex(64, 'b');
const std::string kValidText =
    "weiquan-node-key 1\nsign-seed " + kSeedHex + "\nbox-secret " + kBoxHex + "\n";

// A fresh directory removed with everything in it at the end of the test.
class TempDir {
 public:
  TempDir() : path_(fs::temp_directory_path() / ("weiquan-key-test-" + to_hex(random_bytes()))) {
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  fs::path file(const std::string& name) const { return path_ / name; }

 private:
  static Bytes random_bytes() {
    Bytes bytes(8);
    random_fill(bytes);
    return bytes;
  }
  fs::path path_;
};

// Sets the process umask for one scope.
class ScopedUmask {
 public:
  explicit ScopedUmask(mode_t mask) : previous_(::umask(mask)) {}
  ~ScopedUmask() { ::umask(previous_); }
  ScopedUmask(const ScopedUmask&) = delete;
  ScopedUmask& operator=(const ScopedUmask&) = delete;

 private:
  mode_t previous_;
};

mode_t mode_of(const fs::path& path) {
  struct stat status {};
  REQUIRE(::stat(path.c_str(), &status) == 0);
  return status.st_mode & 07777;
}

void write_text(const fs::path& path, const std::string& text, mode_t mode) {
  {
    std::ofstream out(path, std::ios::binary);
    out << text;
  }
  REQUIRE(::chmod(path.c_str(), mode) == 0);
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

bool same_keys(const NodeKeys& a, const NodeKeys& b) {
  return a.sign.public_key == b.sign.public_key && a.box.public_key == b.box.public_key &&
         std::equal(a.sign.secret.data(), a.sign.secret.data() + a.sign.secret.size(),
                    b.sign.secret.data()) &&
         std::equal(a.box.secret.data(), a.box.secret.data() + a.box.secret.size(),
                    b.box.secret.data());
}

TEST_CASE("a key file round-trips the node's keys", "[crypto][key_file]") {
  const TempDir dir;
  const fs::path path = dir.file("node.key");
  const NodeKeys keys = NodeKeys::generate();
  REQUIRE(write_key_file(path, keys).ok());

  const Result<NodeKeys> read = read_key_file(path);
  REQUIRE(read.ok());
  CHECK(same_keys(*read, keys));

  const std::string text = read_text(path);
  CHECK(text == "weiquan-node-key 1\nsign-seed " + to_hex(keys.sign.seed().view()) +
                    "\nbox-secret " + to_hex(keys.box.secret.view()) + "\n");
}

TEST_CASE("a key file is created with mode 0600 whatever the umask", "[crypto][key_file]") {
  const TempDir dir;
  for (const mode_t mask : {mode_t{0}, mode_t{022}, mode_t{0777}}) {
    INFO("umask " << mask);
    const ScopedUmask scoped(mask);
    const fs::path path = dir.file("node-" + std::to_string(mask) + ".key");
    REQUIRE(write_key_file(path, NodeKeys::generate()).ok());
    CHECK(mode_of(path) == 0600);
  }
}

TEST_CASE("an existing file is never overwritten", "[crypto][key_file]") {
  const TempDir dir;
  const fs::path path = dir.file("node.key");
  const NodeKeys first = NodeKeys::generate();
  REQUIRE(write_key_file(path, first).ok());
  const std::string before = read_text(path);

  const Status again = write_key_file(path, NodeKeys::generate());
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().code == "crypto.key_file_exists");
  CHECK(read_text(path) == before);

  SECTION("nor a symlink followed") {
    const fs::path link = dir.file("link.key");
    fs::create_symlink(dir.file("target.key"), link);
    const Status through_link = write_key_file(link, first);
    REQUIRE_FALSE(through_link.ok());
    CHECK(through_link.error().code == "crypto.key_file_exists");
    CHECK_FALSE(fs::exists(dir.file("target.key")));
  }
}

TEST_CASE("a key file others may access is refused", "[crypto][key_file]") {
  const TempDir dir;
  const fs::path path = dir.file("node.key");
  REQUIRE(write_key_file(path, NodeKeys::generate()).ok());

  for (const mode_t mode : {mode_t{0644}, mode_t{0640}, mode_t{0604}, mode_t{0660}, mode_t{0601}}) {
    INFO("mode " << mode);
    REQUIRE(::chmod(path.c_str(), mode) == 0);
    const Result<NodeKeys> read = read_key_file(path);
    REQUIRE_FALSE(read.ok());
    CHECK(read.error().code == "crypto.key_file_permissions");
    CHECK_THAT(read.error().message, Catch::Contains("chmod 600 " + path.string()));
  }

  SECTION("owner-only modes are accepted") {
    for (const mode_t mode : {mode_t{0600}, mode_t{0400}}) {
      REQUIRE(::chmod(path.c_str(), mode) == 0);
      CHECK(read_key_file(path).ok());
    }
  }
}

TEST_CASE("a missing key file is reported as such", "[crypto][key_file]") {
  const TempDir dir;
  const Result<NodeKeys> read = read_key_file(dir.file("absent.key"));
  REQUIRE_FALSE(read.ok());
  CHECK(read.error().code == "crypto.key_file_missing");
}

TEST_CASE("a malformed key file is refused", "[crypto][key_file]") {
  const TempDir dir;
  const fs::path path = dir.file("node.key");
  write_text(path, kValidText, 0600);
  REQUIRE(read_key_file(path).ok());

  std::string text_with_bad_hex = kValidText;
  text_with_bad_hex[kValidText.find(kSeedHex) + 5] = 'g';
  const std::string broken[] = {
      "",
      "garbage",
      "weiquan-node-key 2\nsign-seed " + kSeedHex + "\nbox-secret " + kBoxHex + "\n",
      "weiquan-node-key 1\nbox-secret " + kBoxHex + "\nsign-seed " + kSeedHex + "\n",
      "weiquan-node-key 1\nsign-seed " + kSeedHex + "\nbox-secret " + kBoxHex,
      kValidText + "\n",
      kValidText + "extra\n",
      "weiquan-node-key 1\r\nsign-seed " + kSeedHex + "\nbox-secret " + kBoxHex + "\n",
      "weiquan-node-key 1\nsign-seed " + kSeedHex + "00\nbox-secret " + kBoxHex.substr(2) + "\n",
      text_with_bad_hex,
      kValidText + std::string(4096, 'x'),
  };
  for (const std::string& text : broken) {
    INFO(text);
    fs::remove(path);
    write_text(path, text, 0600);
    const Result<NodeKeys> read = read_key_file(path);
    REQUIRE_FALSE(read.ok());
    CHECK(read.error().code == "crypto.key_file_malformed");
  }

  SECTION("a directory is not a key file") {
    const Result<NodeKeys> read = read_key_file(dir.file(""));
    REQUIRE_FALSE(read.ok());
    CHECK(read.error().code == "crypto.key_file_malformed");
  }
}

}  // namespace
}  // namespace wq::crypto

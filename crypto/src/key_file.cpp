#include "weiquan/crypto/key_file.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cassert>
#include <cerrno>
#include <cstdio>
#include <string_view>
#include <system_error>

#include "ready.h"

namespace wq::crypto {
namespace {

constexpr std::string_view kHeader = "weiquan-node-key 1\n";
constexpr std::string_view kSignField = "sign-seed ";
constexpr std::string_view kBoxField = "box-secret ";
constexpr std::size_t kSecretHexSize = 64;
constexpr std::size_t kSignOffset = kHeader.size() + kSignField.size();
constexpr std::size_t kBoxOffset = kSignOffset + kSecretHexSize + 1 + kBoxField.size();
constexpr std::size_t kFileSize = kBoxOffset + kSecretHexSize + 1;

// Text that holds secret key material, wiped when it goes out of scope. One byte more than a key
// file, so that reading an oversized file shows as such, and so a hex encoder has room for its NUL.
class SecretText {
 public:
  SecretText() = default;
  ~SecretText() { sodium_memzero(chars_.data(), chars_.size()); }
  SecretText(const SecretText&) = delete;
  SecretText& operator=(const SecretText&) = delete;

  void append(std::string_view text) {
    assert(size_ + text.size() <= chars_.size());
    std::copy(text.begin(), text.end(), chars_.begin() + size_);
    size_ += text.size();
  }
  void append_hex(const std::uint8_t* bytes, std::size_t size) {
    assert(size_ + 2 * size < chars_.size());
    sodium_bin2hex(chars_.data() + size_, chars_.size() - size_, bytes, size);
    size_ += 2 * size;
  }

  char* data() { return chars_.data(); }
  static constexpr std::size_t capacity() { return kFileSize + 1; }
  void set_size(std::size_t size) {
    assert(size <= chars_.size());
    size_ = size;
  }
  std::string_view view() const { return {chars_.data(), size_}; }

 private:
  std::array<char, kFileSize + 1> chars_{};
  std::size_t size_ = 0;
};

// Closes the descriptor it owns.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }

 private:
  int fd_;
};

Error io_error(std::string_view what, const std::filesystem::path& path, int error) {
  return make_error("crypto.key_file_io", "cannot " + std::string(what) + " " + path.string() +
                                              ": " + std::generic_category().message(error));
}

Error malformed(const std::filesystem::path& path, std::string_view why) {
  return make_error("crypto.key_file_malformed",
                    "key file " + path.string() + " is malformed: " + std::string(why));
}

Status write_all(int fd, std::string_view text, const std::filesystem::path& path) {
  while (!text.empty()) {
    const ssize_t written = ::write(fd, text.data(), text.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return io_error("write", path, errno);
    }
    text.remove_prefix(static_cast<std::size_t>(written));
  }
  return {};
}

Status sync_directory_of(const std::filesystem::path& path) {
  const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : ".";
  const Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid() || ::fsync(fd.get()) != 0) return io_error("sync directory", dir, errno);
  return {};
}

Status write_synced(int fd, std::string_view text, const std::filesystem::path& path) {
  if (::fchmod(fd, S_IRUSR | S_IWUSR) != 0) return io_error("chmod", path, errno);
  if (Status written = write_all(fd, text, path); !written) return written;
  if (::fsync(fd) != 0) return io_error("sync", path, errno);
  return sync_directory_of(path);
}

Status read_all(int fd, SecretText& text, const std::filesystem::path& path) {
  std::size_t size = 0;
  while (size < SecretText::capacity()) {
    const ssize_t got = ::read(fd, text.data() + size, SecretText::capacity() - size);
    if (got < 0) {
      if (errno == EINTR) continue;
      return io_error("read", path, errno);
    }
    if (got == 0) break;
    size += static_cast<std::size_t>(got);
  }
  text.set_size(size);
  return {};
}

bool decode_secret(std::string_view hex, SecretKey<32>& out) {
  std::size_t length = 0;
  return sodium_hex2bin(out.data(), out.size(), hex.data(), hex.size(), nullptr, &length,
                        nullptr) == 0 &&
         length == out.size();
}

Result<NodeKeys> parse(std::string_view text, const std::filesystem::path& path) {
  if (text.size() != kFileSize) return malformed(path, "unexpected size");
  if (!text.starts_with(kHeader)) return malformed(path, "missing header 'weiquan-node-key 1'");
  if (text.substr(kHeader.size(), kSignField.size()) != kSignField ||
      text[kSignOffset + kSecretHexSize] != '\n') {
    return malformed(path, "second line must be 'sign-seed <64 hex>'");
  }
  if (text.substr(kBoxOffset - kBoxField.size(), kBoxField.size()) != kBoxField ||
      text[kBoxOffset + kSecretHexSize] != '\n') {
    return malformed(path, "third line must be 'box-secret <64 hex>'");
  }
  SecretKey<32> seed;
  SecretKey<32> box_secret;
  if (!decode_secret(text.substr(kSignOffset, kSecretHexSize), seed) ||
      !decode_secret(text.substr(kBoxOffset, kSecretHexSize), box_secret)) {
    return malformed(path, "a secret is not 64 hex digits");
  }
  return NodeKeys{SigningKeyPair::from_seed(seed.view()),
                  BoxKeyPair::from_secret(box_secret.view())};
}

std::string octal_mode(mode_t mode) {
  std::array<char, 8> text{};
  std::snprintf(text.data(), text.size(), "%04o", static_cast<unsigned>(mode & 07777));
  return text.data();
}

}  // namespace

Status write_key_file(const std::filesystem::path& path, const NodeKeys& keys) {
  detail::ensure_ready();
  SecretText text;
  text.append(kHeader);
  text.append(kSignField);
  const SecretKey<32> seed = keys.sign.seed();
  text.append_hex(seed.data(), seed.size());
  text.append("\n");
  text.append(kBoxField);
  text.append_hex(keys.box.secret.data(), keys.box.secret.size());
  text.append("\n");
  assert(text.view().size() == kFileSize);

  const Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                     S_IRUSR | S_IWUSR));
  if (!fd.valid()) {
    if (errno == EEXIST) {
      return make_error("crypto.key_file_exists",
                        "refusing to overwrite existing key file " + path.string());
    }
    return io_error("create", path, errno);
  }
  Status written = write_synced(fd.get(), text.view(), path);
  if (!written) ::unlink(path.c_str());
  return written;
}

Result<NodeKeys> read_key_file(const std::filesystem::path& path) {
  detail::ensure_ready();
  const Fd fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
  if (!fd.valid()) {
    if (errno == ENOENT) {
      return make_error("crypto.key_file_missing", "key file " + path.string() + " does not exist");
    }
    return io_error("open", path, errno);
  }
  struct stat status {};
  if (::fstat(fd.get(), &status) != 0) return io_error("stat", path, errno);
  if (!S_ISREG(status.st_mode)) return malformed(path, "not a regular file");
  if ((status.st_mode & 077) != 0) {
    return make_error("crypto.key_file_permissions",
                      "key file " + path.string() + " is accessible by group or others (mode " +
                          octal_mode(status.st_mode) + "); run `chmod 600 " + path.string() + "`");
  }
  SecretText text;
  if (Status loaded = read_all(fd.get(), text, path); !loaded) return loaded.error();
  return parse(text.view(), path);
}

}  // namespace wq::crypto

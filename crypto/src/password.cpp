#include "weiquan/crypto/password.h"

#include <sodium.h>

#include "ready.h"

namespace wq::crypto {
namespace {

constexpr std::string_view kPrefix = crypto_pwhash_argon2id_STRPREFIX;

Status check_length(std::string_view password) {
  if (password.size() < kMinPasswordBytes) {
    return make_error("crypto.weak_password",
                      "a password has at least " + std::to_string(kMinPasswordBytes) + " bytes");
  }
  if (password.size() > kMaxPasswordBytes) {
    return make_error("crypto.bad_password",
                      "a password has at most " + std::to_string(kMaxPasswordBytes) + " bytes");
  }
  return {};
}

template <class Buffer>
void wipe_buffer(Buffer& buffer) {
  sodium_memzero(buffer.data(), buffer.size());
  buffer.clear();
}

}  // namespace

PasswordCost PasswordCost::interactive() {
  return {crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE, crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE};
}

PasswordCost PasswordCost::minimum() {
  return {crypto_pwhash_argon2id_OPSLIMIT_MIN, crypto_pwhash_argon2id_MEMLIMIT_MIN};
}

Result<std::string> hash_password(std::string_view password, PasswordCost cost) {
  detail::ensure_ready();
  if (Status ok = check_length(password); !ok) return ok.error();
  char out[crypto_pwhash_argon2id_STRBYTES] = {};
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), cost.opslimit, cost.memlimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return make_error("crypto.out_of_memory",
                      "Argon2id could not allocate " + std::to_string(cost.memlimit) + " bytes");
  }
  return std::string(out);
}

Result<bool> verify_password(std::string_view hash, std::string_view password) {
  detail::ensure_ready();
  if (!hash.starts_with(kPrefix) || hash.size() >= crypto_pwhash_argon2id_STRBYTES ||
      hash.find('\0') != std::string_view::npos) {
    return make_error("crypto.bad_password_hash", "the stored password hash is not Argon2id");
  }
  if (!check_length(password)) return false;
  const std::string terminated(hash);  // libsodium reads the hash as a C string
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

bool needs_rehash(std::string_view hash, PasswordCost cost) {
  detail::ensure_ready();
  if (hash.size() >= crypto_pwhash_argon2id_STRBYTES) return true;
  const std::string terminated(hash);
  return crypto_pwhash_argon2id_str_needs_rehash(terminated.c_str(), cost.opslimit,
                                                 cost.memlimit) != 0;
}

void wipe(std::string& secret) {
  wipe_buffer(secret);
}

void wipe(Bytes& secret) {
  wipe_buffer(secret);
}

}  // namespace wq::crypto

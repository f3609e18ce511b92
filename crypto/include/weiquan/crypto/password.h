// Password hashing for the people who log in to a node (DESIGN.md §2): Argon2id through libsodium's
// crypto_pwhash_str_alg, in the self-describing "$argon2id$v=19$m=...,t=...,p=1$salt$hash" string
// form that carries its own salt and cost, so the cost can be raised later (needs_rehash).
//
// Accepted passwords are 10 to 1024 bytes long (any bytes; the HTTP layer decides about UTF-8).
// Hashing is deliberately slow (~0.1 s and 64 MiB at the interactive cost): never call it while
// holding a lock that other requests wait for.
//
// Ownership: plain values. The functions make no copy of the password; callers wipe their own
// copies with wipe().
// Thread safety: pure functions; each hash allocates its own memory.
// Failure codes: crypto.weak_password (shorter than 10 bytes), crypto.bad_password (longer than
// 1024 bytes), crypto.out_of_memory (Argon2id could not allocate its memory),
// crypto.bad_password_hash (verify_password given a string that is not an Argon2id hash).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "weiquan/crypto/bytes.h"

namespace wq::crypto {

inline constexpr std::size_t kMinPasswordBytes = 10;
inline constexpr std::size_t kMaxPasswordBytes = 1024;

// Argon2id work factors: passes over memory, and memory in bytes.
struct PasswordCost {
  std::uint64_t opslimit = 0;
  std::size_t memlimit = 0;

  // libsodium's INTERACTIVE limits (2 passes, 64 MiB): the default for every real node.
  static PasswordCost interactive();
  // libsodium's MIN limits (1 pass, 8 KiB): offers no protection; for test suites only.
  static PasswordCost minimum();
};

// A fresh salt every call, so equal passwords give different strings.
Result<std::string> hash_password(std::string_view password,
                                  PasswordCost cost = PasswordCost::interactive());

// true when `password` is the one `hash` was made from. A password outside the accepted lengths
// is false at once (no hash can match it). Comparison is constant-time inside libsodium.
Result<bool> verify_password(std::string_view hash, std::string_view password);

// true when `hash` was made with a cost other than `cost`, or is not an Argon2id string at all:
// after a successful login, hash the password again and store the new string.
bool needs_rehash(std::string_view hash, PasswordCost cost);

// Overwrite the bytes of a buffer that held a password or personal data (sodium_memzero, which the
// compiler may not elide), then empty it.
void wipe(std::string& secret);
void wipe(Bytes& secret);

}  // namespace wq::crypto

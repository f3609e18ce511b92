// Private to node/: the state behind Accounts, shared by accounts.cpp (accounts, personal data)
// and account_sessions.cpp (login, sessions and their cache).
#pragma once

#include <mutex>
#include <string>
#include <unordered_map>

#include "weiquan/node/accounts.h"

namespace wq::node {

// The columns every query that yields a Principal selects, in this order.
inline constexpr std::string_view kPrincipalColumns = "a.account_id, a.role, a.name, a.uscc";

// The Principal in columns first..first+3 of a row selected with kPrincipalColumns.
Result<Principal> principal_from(const sync::sql::Stmt& row, int first);

// The login column of a consumer's account: "phone:" and the keyed hash of the phone number.
std::string consumer_login(std::string_view consumer_key);

struct CachedSession {
  Principal principal;
  std::int64_t expires_at_ms = 0;
};

struct Accounts::Impl {
  Impl(OfficeDb& office, const crypto::BoxKeyPair& box_keys, AccountsOptions accounts_options)
      : db(office), box(box_keys), options(accounts_options) {}

  OfficeDb& db;
  const crypto::BoxKeyPair& box;
  AccountsOptions options;
  crypto::SecretKey<32> phone_key;

  // A hash of a random password at options.cost, verified against for unknown logins.
  std::once_flag decoy_once;
  std::string decoy_hash;

  // Token hash (32 bytes as a string) -> session. Held across the database lookup on a miss and
  // around logout, so a logout cannot race a lookup that would re-cache the session.
  std::mutex cache_mutex;
  std::unordered_map<std::string, CachedSession> cache;
};

}  // namespace wq::node

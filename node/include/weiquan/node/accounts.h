// Accounts: the people who log in to this node's HTTP API (DESIGN.md §2) — staff (officers,
// supervisors, enterprise staff, consumer associations, admins), added by an operator, and
// consumers, who register themselves with their real-name data — and their login sessions.
//
// Storage (office.db, office_db.h): only Argon2id hashes of passwords (crypto/password.h); only
// BLAKE2b hashes of session tokens, so a copy of office.db yields no live session; a consumer's
// PersonalData sealed (crypto_box_seal) to this node's own box key, never in clear; the phone
// number a consumer logs in with only as a keyed hash (consumer_key), under a key derived with the
// secret box key from a random value this node generates once and keeps in office.db (so office.db
// alone cannot test phone numbers).
//
// Identifiers: account ids ("s-" staff, "c-" consumers, then 16 random hex digits) appear in signed
// events and say nothing about the person. A consumer's Principal carries no name: the name is
// personal data (personal_data()).
//
// Ownership: Accounts refers to the OfficeDb and the BoxKeyPair given to open(); both must outlive
// it, unmoved. It owns an in-memory cache of live sessions in front of the sessions table.
// Thread safety: every member may be called from any thread. Password hashing (~0.1 s at the
// interactive cost) runs outside every lock.
// Failure codes: node.bad_role (not an account role, or a consumer/system role where staff is
// needed), node.bad_field (empty name, login not of the allowed form, USCC on a non-enterprise
// account), node.account_exists (the login or phone is taken), node.bad_credentials (wrong login
// or password: one message for both), node.unauthenticated (unknown token), node.session_expired,
// node.unknown_account, node.bad_personal_data (sealed data that is not the JSON below); the
// policies.* codes of the validated fields (name, USCC, ID number, phone); crypto.weak_password,
// crypto.bad_password, crypto.out_of_memory, crypto.seal_open_failed (the node's box key changed);
// sync.db, sync.schema_version.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "weiquan/crypto/keys.h"
#include "weiquan/crypto/password.h"
#include "weiquan/node/office_db.h"
#include "weiquan/policies/types.h"
#include "weiquan/result.h"

namespace wq::node {

// The roles people act in are the policy engine's (the lifecycle rules check them); an account
// never has Role::system, which is the node itself.
using Role = policies::Role;
using policies::role_name;

// An account role by name ("consumer", "officer", "supervisor", "enterprise", "association",
// "admin"); node.bad_role for anything else, "system" included.
Result<Role> parse_role(std::string_view name);

struct Principal {
  std::string account_id;
  Role role = Role::consumer;
  std::string name;  // staff display name; empty for consumers (see personal_data())
  std::string uscc;  // the business an enterprise account acts for; empty for other roles
};

// A consumer's real-name data. phone is normalised (policies::parse_phone).
struct PersonalData {
  std::string name;
  std::string id_number;
  std::string phone;
  std::string address;
};

// The JSON object {"name","id_number","phone","address"} (all strings, no other members) that is
// sealed at rest here and inside tickets (docs/protocol.md). decode fails with
// node.bad_personal_data.
std::string encode_personal_data(const PersonalData& person);
Result<PersonalData> decode_personal_data(std::string_view json);

struct SealedIdentity {
  crypto::Bytes sealed;      // crypto_box_seal of encode_personal_data(...) to this node's box key
  std::string consumer_key;  // Accounts::consumer_key of the phone number
};

struct NewAccount {
  Principal principal;
  std::string login;
  std::string password;  // generated; shown once, never stored: wipe it after use
};

struct Session {
  std::string token;  // 43 characters of base64url (32 random bytes): the bearer token
  Principal principal;
  std::int64_t expires_at_ms = 0;
};

inline constexpr std::int64_t kDefaultSessionTtlMs = 8LL * 3600 * 1000;

struct AccountsOptions {
  crypto::PasswordCost cost = crypto::PasswordCost::interactive();
  std::int64_t session_ttl_ms = kDefaultSessionTtlMs;
  std::size_t session_cache_limit = 100'000;  // live sessions kept in memory
};

// The password cost of the `weiquan` binary: interactive, unless the environment variable
// WEIQUAN_PASSWORD_COST is "minimum" (for test suites only: such hashes offer no protection).
// The one place that reads the variable.
crypto::PasswordCost password_cost_from_environment();

class Accounts {
 public:
  struct Impl;  // defined in the implementation

  // Loads (on first use creates) the random value in office.db from which, with the secret box
  // key, the phone-hash key is derived.
  static Result<Accounts> open(OfficeDb& db, const crypto::BoxKeyPair& box,
                               AccountsOptions options = {});

  Accounts(Accounts&&) noexcept;
  Accounts& operator=(Accounts&&) noexcept;
  Accounts(const Accounts&) = delete;
  Accounts& operator=(const Accounts&) = delete;
  ~Accounts();

  // A staff account (any role but consumer) with a generated password of 20 characters from an
  // alphabet without look-alikes (0/O, 1/l/I). An enterprise account needs the valid USCC of its
  // business; other roles take none. `login` (letters a-z, digits, '.', '_', '-'; 3-64 characters,
  // starting with a letter) defaults to "<role>-<n>", e.g. "officer-1".
  Result<NewAccount> add_staff(Role role, std::string name, std::string uscc, std::string login);

  // A consumer's own account. Checks the name (1-50 characters, one line), the resident ID number
  // (its birth date not after `now_ms`), the mobile phone number (the login: one account per
  // number) and the address (at most 200 characters, one line, may be empty).
  Result<Principal> register_consumer(PersonalData person, std::string_view password,
                                      std::int64_t now_ms);

  // A new session for a staff login or a consumer's phone number. Unknown logins cost a password
  // verification too, so timing does not tell which logins exist. A hash made at another cost is
  // replaced by one at this Accounts' cost.
  Result<Session> login(std::string_view login, std::string_view password, std::int64_t now_ms);

  Result<Principal> authenticate(std::string_view token, std::int64_t now_ms);

  // Ends the session of `token` (nothing happens for an unknown one).
  Status logout(std::string_view token);

  // A consumer's sealed real-name data, opened (node.unknown_account for a staff account too).
  Result<PersonalData> personal_data(std::string_view account_id);
  // The same data still sealed, exactly as stored (to this node's box key, in the JSON form a
  // ticket's sealed copy uses), with the consumer's consumer_key: what a ticket the consumer files
  // carries, without opening and sealing again.
  Result<SealedIdentity> sealed_identity(std::string_view account_id);

  Result<std::optional<Principal>> find(std::string_view account_id);

  // The keyed hash (64 hex digits) of a phone number, normalised first, so that "+86 138..." and
  // "138..." agree; text that is no phone number is hashed as given. Recognises one consumer
  // across channels (the web, and a hotline ticket an officer registers with the caller's phone).
  std::string consumer_key(std::string_view phone) const;

 private:
  explicit Accounts(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace wq::node

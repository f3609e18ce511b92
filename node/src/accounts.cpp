#include "weiquan/node/accounts.h"

#include <algorithm>
#include <array>
#include <cstdlib>

#include "accounts_impl.h"
#include "weiquan/crypto/keyed_hash.h"
#include "weiquan/crypto/random.h"
#include "weiquan/crypto/seal.h"
#include "weiquan/policies/validation.h"

namespace wq::node {
namespace {

namespace sql = sync::sql;

constexpr std::string_view kPhoneKeyName = "phone_key";
// 56 characters: digits and letters without the look-alikes 0, 1, O, o, I, l.
constexpr std::string_view kPasswordAlphabet =
    "23456789abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
constexpr std::size_t kGeneratedPasswordLength = 20;
constexpr std::size_t kMaxNameCharacters = 50;
constexpr std::size_t kMaxAddressCharacters = 200;
constexpr std::size_t kMaxLoginLength = 64;

Error bad_field(const std::string& message) {
  return make_error("node.bad_field", message);
}

std::string generate_password() {
  // Bytes below 224 (= 4 * 56) map uniformly onto the alphabet; the rest are drawn again.
  static_assert(256 - 256 % kPasswordAlphabet.size() == 224);
  std::string password;
  while (password.size() < kGeneratedPasswordLength) {
    std::array<std::uint8_t, 32> bytes{};
    crypto::random_fill(bytes);
    for (const std::uint8_t byte : bytes) {
      if (byte >= 224 || password.size() == kGeneratedPasswordLength) continue;
      password.push_back(kPasswordAlphabet[byte % kPasswordAlphabet.size()]);
    }
  }
  return password;
}

std::string random_account_id(std::string_view prefix) {
  std::array<std::uint8_t, 8> bytes{};
  crypto::random_fill(bytes);
  return std::string(prefix) + crypto::to_hex(bytes);
}

bool valid_staff_login(std::string_view login) {
  if (login.size() < 3 || login.size() > kMaxLoginLength) return false;
  if (login.front() < 'a' || login.front() > 'z') return false;
  for (const char c : login) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Status check_name(std::string_view name) {
  if (name.empty()) return bad_field("name: required");
  return policies::check_text(name, kMaxNameCharacters, policies::TextLines::single);
}

void wipe(PersonalData& person) {
  for (std::string* field : {&person.name, &person.id_number, &person.phone, &person.address}) {
    crypto::wipe(*field);
  }
}

Result<bool> login_taken(OfficeDb::Lock& lock, std::string_view login) {
  auto stmt = lock.statement("SELECT 1 FROM accounts WHERE login = ?1");
  if (!stmt) return stmt.error();
  (*stmt)->bind(1, login);
  return (*stmt)->step();
}

// "<role>-<n>" for the first n from the number of accounts with that role on that is free.
Result<std::string> default_login(OfficeDb::Lock& lock, Role role) {
  auto stmt = lock.statement("SELECT COUNT(*) FROM accounts WHERE role = ?1");
  if (!stmt) return stmt.error();
  const std::string name(role_name(role));
  (*stmt)->bind(1, name);
  auto row = (*stmt)->step();
  if (!row) return row.error();
  for (std::int64_t n = (*row ? (*stmt)->int64(0) : 0) + 1;; ++n) {
    std::string login = name + "-" + std::to_string(n);
    auto taken = login_taken(lock, login);
    if (!taken) return taken.error();
    if (!*taken) return login;
  }
}

Status insert_account(OfficeDb::Lock& lock, const Principal& principal, std::string_view login,
                      std::string_view password_hash) {
  auto stmt = lock.statement(
      "INSERT INTO accounts (account_id, login, role, name, uscc, password_hash) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  if (!stmt) return stmt.error();
  return (*stmt)
      ->bind(1, principal.account_id)
      .bind(2, login)
      .bind(3, role_name(principal.role))
      .bind(4, principal.name)
      .bind(5, principal.uscc)
      .bind(6, password_hash)
      .run();
}

Status load_phone_key(OfficeDb& db, crypto::SecretKey<32>& key) {
  auto lock = db.lock();
  auto transaction = sql::Transaction::begin(lock.db());
  if (!transaction) return transaction.error();
  auto select = lock.statement("SELECT value FROM secrets WHERE name = ?1");
  if (!select) return select.error();
  (*select)->bind(1, kPhoneKeyName);
  auto row = (*select)->step();
  if (!row) return row.error();
  if (*row) {
    const crypto::ByteView stored = (*select)->blob(0);
    if (stored.size() != key.size()) {
      return make_error("sync.corrupt", "office.db: the phone key is not 32 bytes");
    }
    std::copy(stored.begin(), stored.end(), key.data());
    (*select)->reset();
    return {};
  }
  (*select)->reset();
  crypto::random_fill({key.data(), key.size()});
  auto insert = lock.statement("INSERT INTO secrets (name, value) VALUES (?1, ?2)");
  if (!insert) return insert.error();
  if (Status ok = (*insert)->bind(1, kPhoneKeyName).bind(2, key.view()).run(); !ok) return ok;
  return transaction->commit();
}

}  // namespace

Result<Role> parse_role(std::string_view name) {
  auto role = policies::parse_role(name);
  if (!role || *role == Role::system) {
    return make_error("node.bad_role",
                      "\"" + std::string(name) +
                          "\" is not an account role (consumer, officer, supervisor, enterprise, "
                          "association, admin)");
  }
  return *role;
}

crypto::PasswordCost password_cost_from_environment() {
  const char* cost = std::getenv("WEIQUAN_PASSWORD_COST");
  return cost != nullptr && std::string_view(cost) == "minimum"
             ? crypto::PasswordCost::minimum()
             : crypto::PasswordCost::interactive();
}

Result<Principal> principal_from(const sql::Stmt& row, int first) {
  auto role = parse_role(row.text(first + 1));
  if (!role) return role.error();
  return Principal{std::string(row.text(first)), *role, std::string(row.text(first + 2)),
                   std::string(row.text(first + 3))};
}

std::string consumer_login(std::string_view consumer_key) {
  return "phone:" + std::string(consumer_key);
}

Result<Accounts> Accounts::open(OfficeDb& db, const crypto::BoxKeyPair& box,
                                AccountsOptions options) {
  auto impl = std::make_unique<Impl>(db, box, options);
  // The phone hash key is derived from the random value in office.db under the node's secret box
  // key, so a copy of office.db without node.key cannot test which numbers have accounts.
  crypto::SecretKey<32> salt;
  if (Status ok = load_phone_key(db, salt); !ok) return ok.error();
  const crypto::Hash derived = crypto::keyed_blake2b_256(box.secret.view(), salt.view());
  std::copy(derived.begin(), derived.end(), impl->phone_key.data());
  return Accounts(std::move(impl));
}

Accounts::Accounts(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Accounts::Accounts(Accounts&&) noexcept = default;
Accounts& Accounts::operator=(Accounts&&) noexcept = default;
Accounts::~Accounts() = default;

Result<NewAccount> Accounts::add_staff(Role role, std::string name, std::string uscc,
                                       std::string login) {
  if (role == Role::consumer || role == Role::system) {
    return make_error("node.bad_role",
                      "staff accounts are officer, supervisor, enterprise, "
                      "association or admin; consumers register themselves");
  }
  if (Status ok = check_name(name); !ok) return ok.error();
  if (role == Role::enterprise) {
    if (auto parsed = policies::parse_uscc(uscc); !parsed) return parsed.error();
  } else if (!uscc.empty()) {
    return bad_field("uscc: only enterprise accounts act for a business");
  }
  if (!login.empty() && !valid_staff_login(login)) {
    return bad_field("login: 3-64 characters a-z, 0-9, '.', '_' or '-', starting with a letter");
  }
  NewAccount account{Principal{random_account_id("s-"), role, std::move(name), std::move(uscc)},
                     std::move(login), generate_password()};
  auto hash = crypto::hash_password(account.password, impl_->options.cost);
  if (!hash) return hash.error();

  auto lock = impl_->db.lock();
  auto transaction = sync::sql::Transaction::begin(lock.db());
  if (!transaction) return transaction.error();
  if (account.login.empty()) {
    auto login_name = default_login(lock, role);
    if (!login_name) return login_name.error();
    account.login = std::move(*login_name);
  } else {
    auto taken = login_taken(lock, account.login);
    if (!taken) return taken.error();
    if (*taken) {
      return make_error("node.account_exists", "login " + account.login + " is taken");
    }
  }
  if (Status ok = insert_account(lock, account.principal, account.login, *hash); !ok) {
    return ok.error();
  }
  if (Status ok = transaction->commit(); !ok) return ok.error();
  return account;
}

Result<Principal> Accounts::register_consumer(PersonalData person, std::string_view password,
                                              std::int64_t now_ms) {
  struct Wiper {
    PersonalData& person;
    ~Wiper() { wipe(person); }
  } wiper{person};
  if (Status ok = check_name(person.name); !ok) return ok.error();
  if (Status ok = policies::check_id_number(person.id_number, now_ms); !ok) return ok.error();
  auto phone = policies::parse_phone(person.phone);
  if (!phone) return phone.error();
  if (phone->kind != policies::PhoneKind::mobile) {
    return make_error("policies.invalid_phone", "phone: a consumer account needs a mobile number");
  }
  person.phone = phone->normalized;
  if (Status ok =
          policies::check_text(person.address, kMaxAddressCharacters, policies::TextLines::single);
      !ok) {
    return ok.error();
  }
  auto hash = crypto::hash_password(password, impl_->options.cost);
  if (!hash) return hash.error();
  std::string plain = encode_personal_data(person);
  auto sealed = crypto::seal(impl_->box.public_key, crypto::as_bytes(plain));
  crypto::wipe(plain);
  if (!sealed) return sealed.error();

  const Principal principal{random_account_id("c-"), Role::consumer, "", ""};
  const std::string login = consumer_login(consumer_key(person.phone));
  auto lock = impl_->db.lock();
  auto transaction = sync::sql::Transaction::begin(lock.db());
  if (!transaction) return transaction.error();
  auto taken = login_taken(lock, login);
  if (!taken) return taken.error();
  if (*taken) {
    return make_error("node.account_exists", "an account with this phone number exists: log in");
  }
  if (Status ok = insert_account(lock, principal, login, *hash); !ok) return ok.error();
  auto insert = lock.statement("INSERT INTO personal_data (account_id, sealed) VALUES (?1, ?2)");
  if (!insert) return insert.error();
  if (Status ok = (*insert)->bind(1, principal.account_id).bind(2, *sealed).run(); !ok) {
    return ok.error();
  }
  if (Status ok = transaction->commit(); !ok) return ok.error();
  return principal;
}

Result<SealedIdentity> Accounts::sealed_identity(std::string_view account_id) {
  auto lock = impl_->db.lock();
  auto stmt = lock.statement(
      "SELECT p.sealed, a.login FROM personal_data p JOIN accounts a USING (account_id) "
      "WHERE p.account_id = ?1");
  if (!stmt) return stmt.error();
  (*stmt)->bind(1, account_id);
  auto row = (*stmt)->step();
  if (!row) return row.error();
  if (!*row) {
    return make_error("node.unknown_account",
                      "no consumer account " + std::string(account_id) + " on this node");
  }
  const crypto::ByteView blob = (*stmt)->blob(0);
  std::string_view login = (*stmt)->text(1);
  const std::string prefix = consumer_login("");
  if (login.starts_with(prefix)) login.remove_prefix(prefix.size());
  return SealedIdentity{crypto::Bytes(blob.begin(), blob.end()), std::string(login)};
}

Result<PersonalData> Accounts::personal_data(std::string_view account_id) {
  auto identity = sealed_identity(account_id);
  if (!identity) return identity.error();
  const crypto::Bytes& sealed = identity->sealed;
  auto plain = crypto::open_sealed(impl_->box, sealed);
  if (!plain) return plain.error();
  auto person = decode_personal_data(
      std::string_view(reinterpret_cast<const char*>(plain->data()), plain->size()));
  crypto::wipe(*plain);
  return person;
}

Result<std::optional<Principal>> Accounts::find(std::string_view account_id) {
  auto lock = impl_->db.lock();
  auto stmt = lock.statement("SELECT " + std::string(kPrincipalColumns) +
                             " FROM accounts a WHERE a.account_id = ?1");
  if (!stmt) return stmt.error();
  (*stmt)->bind(1, account_id);
  auto row = (*stmt)->step();
  if (!row) return row.error();
  if (!*row) return std::optional<Principal>();
  auto principal = principal_from(**stmt, 0);
  if (!principal) return principal.error();
  return std::optional<Principal>(std::move(*principal));
}

std::string Accounts::consumer_key(std::string_view phone) const {
  auto parsed = policies::parse_phone(phone);
  const std::string normalized = parsed ? parsed->normalized : std::string(phone);
  return crypto::to_hex(
      crypto::keyed_blake2b_256(impl_->phone_key.view(), crypto::as_bytes(normalized)));
}

}  // namespace wq::node

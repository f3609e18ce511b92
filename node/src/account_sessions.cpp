// Accounts: login, sessions and the session cache.
#include <algorithm>
#include <array>

#include "accounts_impl.h"
#include "weiquan/crypto/hash.h"
#include "weiquan/crypto/random.h"
#include "weiquan/policies/validation.h"

namespace wq::node {
namespace {

constexpr std::size_t kTokenBytes = 32;
constexpr std::size_t kTokenChars = 43;  // base64url of 32 bytes, without padding
// Expired sessions are kept a week, so a late request hears "expired" rather than "unknown".
constexpr std::int64_t kExpiredRetentionMs = 7LL * 24 * 3600 * 1000;

Error bad_credentials() {
  return make_error("node.bad_credentials", "wrong login or password");
}

Error unauthenticated() {
  return make_error("node.unauthenticated", "unknown session token: log in again");
}

Error session_expired() {
  return make_error("node.session_expired", "the session has expired: log in again");
}

std::string new_token() {
  std::array<std::uint8_t, kTokenBytes> bytes{};
  crypto::random_fill(bytes);
  std::string token = crypto::to_base64(bytes);
  std::replace(token.begin(), token.end(), '+', '-');
  std::replace(token.begin(), token.end(), '/', '_');
  token.erase(std::remove(token.begin(), token.end(), '='), token.end());
  return token;
}

// What office.db and the cache keep of a token: its BLAKE2b-256, as a 32-byte string.
std::string token_key(std::string_view token) {
  const crypto::Hash hash = crypto::blake2b_256(crypto::as_bytes(token));
  return std::string(hash.begin(), hash.end());
}

// Caller holds impl.cache_mutex.
void remember(Accounts::Impl& impl, std::string key, CachedSession session, std::int64_t now_ms) {
  if (impl.cache.size() >= impl.options.session_cache_limit) {
    std::erase_if(impl.cache,
                  [&](const auto& entry) { return entry.second.expires_at_ms <= now_ms; });
    if (impl.cache.size() >= impl.options.session_cache_limit) impl.cache.clear();
  }
  impl.cache.insert_or_assign(std::move(key), std::move(session));
}

struct StoredLogin {
  Principal principal;
  std::string password_hash;
};

Result<std::optional<StoredLogin>> find_login(OfficeDb& db, const std::string& login) {
  auto lock = db.lock();
  auto stmt = lock.statement("SELECT " + std::string(kPrincipalColumns) +
                             ", a.password_hash FROM accounts a WHERE a.login = ?1");
  if (!stmt) return stmt.error();
  (*stmt)->bind(1, login);
  auto row = (*stmt)->step();
  if (!row) return row.error();
  if (!*row) return std::optional<StoredLogin>();
  auto principal = principal_from(**stmt, 0);
  if (!principal) return principal.error();
  return std::optional<StoredLogin>(
      StoredLogin{std::move(*principal), std::string((*stmt)->text(4))});
}

Status store_session(OfficeDb& db, const std::string& key, const Principal& principal,
                     std::int64_t expires_at_ms, std::int64_t now_ms,
                     const std::optional<std::string>& new_password_hash) {
  auto lock = db.lock();
  auto transaction = sync::sql::Transaction::begin(lock.db());
  if (!transaction) return transaction.error();
  if (new_password_hash) {
    auto update = lock.statement("UPDATE accounts SET password_hash = ?1 WHERE account_id = ?2");
    if (!update) return update.error();
    if (Status ok = (*update)->bind(1, *new_password_hash).bind(2, principal.account_id).run();
        !ok) {
      return ok;
    }
  }
  auto purge = lock.statement("DELETE FROM sessions WHERE expires_at_ms < ?1");
  if (!purge) return purge.error();
  if (Status ok = (*purge)->bind(1, now_ms - kExpiredRetentionMs).run(); !ok) return ok;
  auto insert = lock.statement(
      "INSERT INTO sessions (token_hash, account_id, expires_at_ms) VALUES (?1, ?2, ?3)");
  if (!insert) return insert.error();
  if (Status ok = (*insert)
                      ->bind(1, crypto::as_bytes(key))
                      .bind(2, principal.account_id)
                      .bind(3, expires_at_ms)
                      .run();
      !ok) {
    return ok;
  }
  return transaction->commit();
}

// Caller holds impl.cache_mutex.
Result<std::optional<CachedSession>> find_session(OfficeDb& db, const std::string& key) {
  auto lock = db.lock();
  auto stmt = lock.statement("SELECT " + std::string(kPrincipalColumns) +
                             ", s.expires_at_ms FROM sessions s "
                             "JOIN accounts a ON a.account_id = s.account_id "
                             "WHERE s.token_hash = ?1");
  if (!stmt) return stmt.error();
  (*stmt)->bind(1, crypto::as_bytes(key));
  auto row = (*stmt)->step();
  if (!row) return row.error();
  if (!*row) return std::optional<CachedSession>();
  auto principal = principal_from(**stmt, 0);
  if (!principal) return principal.error();
  return std::optional<CachedSession>(CachedSession{std::move(*principal), (*stmt)->int64(4)});
}

}  // namespace

Result<Session> Accounts::login(std::string_view login, std::string_view password,
                                std::int64_t now_ms) {
  auto phone = policies::parse_phone(login);
  const std::string login_key = phone && phone->kind == policies::PhoneKind::mobile
                                    ? consumer_login(consumer_key(login))
                                    : std::string(login);
  auto stored = find_login(impl_->db, login_key);
  if (!stored) return stored.error();
  if (!*stored) {
    std::call_once(impl_->decoy_once, [this] {
      auto decoy = crypto::hash_password(new_token(), impl_->options.cost);
      if (decoy) impl_->decoy_hash = std::move(*decoy);
    });
    if (!impl_->decoy_hash.empty()) (void)crypto::verify_password(impl_->decoy_hash, password);
    return bad_credentials();
  }
  auto verified = crypto::verify_password((*stored)->password_hash, password);
  if (!verified) return verified.error();
  if (!*verified) return bad_credentials();

  std::optional<std::string> rehashed;
  if (crypto::needs_rehash((*stored)->password_hash, impl_->options.cost)) {
    auto hash = crypto::hash_password(password, impl_->options.cost);
    if (!hash) return hash.error();
    rehashed = std::move(*hash);
  }
  Session session{new_token(), std::move((*stored)->principal),
                  now_ms + impl_->options.session_ttl_ms};
  std::string key = token_key(session.token);
  if (Status ok =
          store_session(impl_->db, key, session.principal, session.expires_at_ms, now_ms, rehashed);
      !ok) {
    return ok.error();
  }
  std::lock_guard cache_lock(impl_->cache_mutex);
  remember(*impl_, std::move(key), CachedSession{session.principal, session.expires_at_ms}, now_ms);
  return session;
}

Result<Principal> Accounts::authenticate(std::string_view token, std::int64_t now_ms) {
  if (token.size() != kTokenChars) return unauthenticated();
  std::string key = token_key(token);
  std::lock_guard cache_lock(impl_->cache_mutex);
  if (const auto it = impl_->cache.find(key); it != impl_->cache.end()) {
    if (now_ms < it->second.expires_at_ms) return it->second.principal;
    impl_->cache.erase(it);
    return session_expired();
  }
  auto stored = find_session(impl_->db, key);
  if (!stored) return stored.error();
  if (!*stored) return unauthenticated();
  if (now_ms >= (*stored)->expires_at_ms) return session_expired();
  Principal principal = (*stored)->principal;
  remember(*impl_, std::move(key), std::move(**stored), now_ms);
  return principal;
}

Status Accounts::logout(std::string_view token) {
  if (token.size() != kTokenChars) return {};
  const std::string key = token_key(token);
  std::lock_guard cache_lock(impl_->cache_mutex);
  impl_->cache.erase(key);
  auto lock = impl_->db.lock();
  auto stmt = lock.statement("DELETE FROM sessions WHERE token_hash = ?1");
  if (!stmt) return stmt.error();
  return (*stmt)->bind(1, crypto::as_bytes(key)).run();
}

}  // namespace wq::node

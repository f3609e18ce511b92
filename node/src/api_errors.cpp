#include "api_errors.h"

#include <array>
#include <utility>

namespace wq::node::http {
namespace {

// Exact codes first; then the status of a code's module when all its codes share one meaning.
constexpr std::array<std::pair<std::string_view, unsigned>, 37> kStatusByCode = {{
    {"node.bad_json", 400},
    {"node.bad_field", 400},
    {"node.unknown_field", 400},
    {"node.bad_query", 400},
    {"node.bad_action", 400},
    {"node.unauthenticated", 401},
    {"node.session_expired", 401},
    {"node.bad_credentials", 401},
    {"node.forbidden", 403},
    {"node.unknown_ticket", 404},
    {"node.unknown_account", 404},
    {"node.unknown_evidence", 404},
    {"sync.unknown_ticket", 404},
    {"node.account_exists", 409},
    {"sync.not_holder", 409},
    {"sync.bad_seq", 409},
    {"policies.forbidden_transition", 409},
    {"policies.forbidden_role", 403},
    {"policies.forbidden_level", 409},
    {"policies.clock_state", 409},
    {"policies.unknown_clock", 409},
    {"policies.extension_too_long", 422},
    {"node.payload_too_large", 413},
    {"node.unsupported_media_type", 415},
    {"federation.no_jurisdiction", 503},
    {"node.bad_region", 422},
    {"node.bad_role", 422},
    {"node.unknown_business", 422},
    {"crypto.weak_password", 422},
    {"crypto.bad_password", 422},
    {"node.overloaded", 503},
    {"sync.bad_draft", 422},
    {"sync.bad_receipt_time", 422},
    {"node.no_consent", 422},
    {"node.unknown_node", 422},
    {"sync.db", 500},
    {"sync.corrupt", 500},
}};

}  // namespace

unsigned http_status_for(std::string_view code) {
  for (const auto& [known, status] : kStatusByCode) {
    if (known == code) return status;
  }
  // Every other policies.* code is a value that failed validation (invalid_uscc, invalid_phone,
  // unknown_region, invalid_amount, ...).
  if (code.starts_with("policies.")) return 422;
  return 500;
}

Response error_reply(const Error& error) {
  Response response = error_response(http_status_for(error.code), error.code, error.message);
  if (response.status == 503) response.headers.emplace_back("Retry-After", "1");
  return response;
}

}  // namespace wq::node::http

// Reading a JSON request body: parsing with a nesting bound, and FieldReader, which takes the
// fields of one JSON object with their types and limits and refuses unknown ones, so a misspelt
// field is an error rather than silently ignored.
//
// Thread safety: values; a FieldReader is used by one thread.
// Failure codes: node.bad_json (not JSON, not an object, nested too deep), node.bad_field (a field
// of the wrong type, missing, too long or out of range), node.unknown_field; policies.* from the
// validators a caller chains after reading.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "weiquan/result.h"

namespace wq::node::http {

inline constexpr int kMaxJsonDepth = 16;

// The body as a JSON object.
Result<nlohmann::json> parse_json_object(std::string_view body);

class FieldReader {
 public:
  // `object` must outlive the reader; `where` prefixes field names in errors ("business.").
  explicit FieldReader(const nlohmann::json& object, std::string where = {});

  // Text of at most `max_characters` code points (policies::check_text); single line unless
  // `multiline`. A missing optional text reads as "".
  std::string text(std::string_view key, std::size_t max_characters, bool required,
                   bool multiline = false);
  bool flag(std::string_view key, bool fallback = false);
  std::optional<std::int64_t> integer(std::string_view key, std::int64_t min, std::int64_t max);
  // A nested object, or nullptr when absent (an error when present with another type).
  const nlohmann::json* object(std::string_view key);
  bool has(std::string_view key) const;

  // Records an error found by the caller about `key` (first error wins).
  void fail(Error error);
  // The first error, or node.unknown_field naming a field no read asked for.
  Status finish();
  bool ok() const { return !error_.has_value(); }

 private:
  const nlohmann::json* find(std::string_view key);
  void bad(std::string_view key, std::string_view why);

  const nlohmann::json& object_;
  std::string where_;
  std::set<std::string, std::less<>> read_;
  std::optional<Error> error_;
};

}  // namespace wq::node::http

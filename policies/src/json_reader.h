// Private to policies/: JsonReader reads the members of JSON objects for the document loaders
// (policy documents, lifecycle documents) and records each problem with the JSON path where it
// was found: "documents[1].limits.complaint[0].unit", "machines.complaint.transitions[3].roles[0]".
//
// A read never throws and never stops the reader: a member that is missing or of the wrong type is
// a problem and reads as an empty value, so a loader reads straight through and asks failed() at
// the end. The mode says which problems are kept:
//   first_problem  only the first (the error message is "<path>: <problem>");
//   every_problem  every one, in the order found, each once (joined by "; ").
// Wording: a required member that is absent is "missing", one of another type "must be ...".
#pragma once

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "weiquan/result.h"

namespace wq::policies::detail {

class JsonReader {
 public:
  enum class Mode { first_problem, every_problem };

  // `unknown_key` is the problem object() records for a key it does not allow (policy documents
  // say "unknown key", lifecycle documents "unknown field").
  explicit JsonReader(Mode mode, std::string_view unknown_key = "unknown key")
      : mode_(mode), unknown_key_(unknown_key) {}

  // Records "<path>: <problem>" ("(root)" for the empty path).
  void fail(const std::string& path, std::string_view problem);
  bool failed() const { return !problems_.empty(); }
  // policies.bad_document with the kept problems (at most 20, then how many more).
  Error error() const;

  // True when `value` is an object, so its members can be read; each key not in `allowed` is a
  // problem (a misspelt key must not silently drop a rule).
  bool object(const nlohmann::json& value, const std::string& path,
              std::initializer_list<std::string_view> allowed);
  // The object member `key`, or nullptr (a problem unless `optional` and absent).
  const nlohmann::json* member_object(const nlohmann::json& object, const std::string& path,
                                      std::string_view key, bool optional);
  // The array member `key`, or nullptr (a problem).
  const nlohmann::json* array(const nlohmann::json& object, const std::string& path,
                              std::string_view key);

  // A required non-empty string.
  std::string string(const nlohmann::json& object, const std::string& path, std::string_view key);
  // Absent or null: nullopt; otherwise a non-empty string.
  std::optional<std::string> optional_string(const nlohmann::json& object, const std::string& path,
                                             std::string_view key);
  std::int64_t integer(const nlohmann::json& object, const std::string& path, std::string_view key,
                       std::int64_t min, std::int64_t max);
  // Absent: `absent`, or a problem when there is no default.
  bool boolean(const nlohmann::json& object, const std::string& path, std::string_view key,
               std::optional<bool> absent);
  // A required, non-empty array of non-empty strings: one entry per element, empty where the
  // element is not a non-empty string.
  std::vector<std::string> strings(const nlohmann::json& object, const std::string& path,
                                   std::string_view key);

 private:
  enum class Type { object, array, string, integer, boolean };

  // The member `key`, or nullptr when it is absent (a problem when `required`) or not of `type`.
  const nlohmann::json* member(const nlohmann::json& object, const std::string& path,
                               std::string_view key, Type type, bool required);

  Mode mode_;
  std::string unknown_key_;
  std::vector<std::string> problems_;
};

// The path of member `key` under `path` ("" is the document itself).
inline std::string member_path(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

inline std::string index_path(const std::string& path, std::size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

}  // namespace wq::policies::detail

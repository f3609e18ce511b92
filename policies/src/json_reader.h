// JsonReader: reads the members of JSON objects for a document loader. The first problem found is
// kept together with the JSON path where it was found ("documents[1].limits.complaint[0].unit");
// after that every read returns an empty value, so a loader reads straight through and asks
// failed() once at the end. Never throws.
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
  void fail(const std::string& path, std::string_view problem);
  bool failed() const { return error_.has_value(); }
  // policies.bad_document with "<path>: <problem>".
  Error error() const;

  // True when `value` is an object whose keys are all in `allowed`.
  bool object(const nlohmann::json& value, const std::string& path,
              std::initializer_list<std::string_view> allowed);
  // The member `key` of an array type, or nullptr (a problem unless `optional` and absent).
  const nlohmann::json* array(const nlohmann::json& object, const std::string& path,
                              std::string_view key);
  const nlohmann::json* member_object(const nlohmann::json& object, const std::string& path,
                                      std::string_view key, bool optional);

  std::string string(const nlohmann::json& object, const std::string& path, std::string_view key);
  // Absent or null: nullopt.
  std::optional<std::string> optional_string(const nlohmann::json& object, const std::string& path,
                                             std::string_view key);
  std::int64_t integer(const nlohmann::json& object, const std::string& path, std::string_view key,
                       std::int64_t min, std::int64_t max);
  // Absent: `absent`, or a problem when there is no default.
  bool boolean(const nlohmann::json& object, const std::string& path, std::string_view key,
               std::optional<bool> absent);
  std::vector<std::string> strings(const nlohmann::json& object, const std::string& path,
                                   std::string_view key);

 private:
  const nlohmann::json* find(const nlohmann::json& object, std::string_view key) const;

  std::optional<Error> error_;
};

inline std::string member_path(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

inline std::string index_path(const std::string& path, std::size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

}  // namespace wq::policies::detail

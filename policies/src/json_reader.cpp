#include "json_reader.h"

#include <algorithm>

namespace wq::policies::detail {

void JsonReader::fail(const std::string& path, std::string_view problem) {
  if (!error_) {
    error_ = make_error("policies.bad_document", (path.empty() ? std::string("(root)") : path) +
                                                     ": " + std::string(problem));
  }
}

Error JsonReader::error() const {
  return error_.value_or(Error{});
}

const nlohmann::json* JsonReader::find(const nlohmann::json& object, std::string_view key) const {
  if (failed() || !object.is_object()) return nullptr;
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

bool JsonReader::object(const nlohmann::json& value, const std::string& path,
                        std::initializer_list<std::string_view> allowed) {
  if (failed()) return false;
  if (!value.is_object()) {
    fail(path, "expected an object");
    return false;
  }
  for (const auto& item : value.items()) {
    if (std::find(allowed.begin(), allowed.end(), item.key()) == allowed.end()) {
      fail(member_path(path, item.key()), "unknown key");
      return false;
    }
  }
  return true;
}

const nlohmann::json* JsonReader::array(const nlohmann::json& object, const std::string& path,
                                        std::string_view key) {
  const nlohmann::json* value = find(object, key);
  if (value == nullptr || !value->is_array()) {
    fail(member_path(path, key), "expected an array");
    return nullptr;
  }
  return value;
}

const nlohmann::json* JsonReader::member_object(const nlohmann::json& object,
                                                const std::string& path, std::string_view key,
                                                bool optional) {
  const nlohmann::json* value = find(object, key);
  if (value == nullptr && optional) return nullptr;
  if (value == nullptr || !value->is_object()) {
    fail(member_path(path, key), "expected an object");
    return nullptr;
  }
  return value;
}

std::string JsonReader::string(const nlohmann::json& object, const std::string& path,
                               std::string_view key) {
  const nlohmann::json* value = find(object, key);
  if (value == nullptr || !value->is_string() || value->get_ref<const std::string&>().empty()) {
    fail(member_path(path, key), "expected a non-empty string");
    return {};
  }
  return value->get<std::string>();
}

std::optional<std::string> JsonReader::optional_string(const nlohmann::json& object,
                                                       const std::string& path,
                                                       std::string_view key) {
  const nlohmann::json* value = find(object, key);
  if (value == nullptr || value->is_null()) return std::nullopt;
  return string(object, path, key);
}

std::int64_t JsonReader::integer(const nlohmann::json& object, const std::string& path,
                                 std::string_view key, std::int64_t min, std::int64_t max) {
  const nlohmann::json* value = find(object, key);
  if (value == nullptr || !value->is_number_integer()) {
    fail(member_path(path, key), "expected an integer");
    return 0;
  }
  const bool in_range = value->is_number_unsigned()
                            ? value->get<std::uint64_t>() <= static_cast<std::uint64_t>(max)
                            : value->get<std::int64_t>() <= max;
  if (!in_range || value->get<std::int64_t>() < min) {
    fail(member_path(path, key),
         "expected an integer from " + std::to_string(min) + " to " + std::to_string(max));
    return 0;
  }
  return value->get<std::int64_t>();
}

bool JsonReader::boolean(const nlohmann::json& object, const std::string& path,
                         std::string_view key, std::optional<bool> absent) {
  const nlohmann::json* value = find(object, key);
  if (value == nullptr && absent) return *absent;
  if (value == nullptr || !value->is_boolean()) {
    fail(member_path(path, key), "expected true or false");
    return false;
  }
  return value->get<bool>();
}

std::vector<std::string> JsonReader::strings(const nlohmann::json& object, const std::string& path,
                                             std::string_view key) {
  std::vector<std::string> out;
  const nlohmann::json* values = array(object, path, key);
  if (values == nullptr) return out;
  for (std::size_t i = 0; i < values->size(); ++i) {
    const nlohmann::json& value = (*values)[i];
    if (!value.is_string() || value.get_ref<const std::string&>().empty()) {
      fail(index_path(member_path(path, key), i), "expected a non-empty string");
      return {};
    }
    out.push_back(value.get<std::string>());
  }
  return out;
}

}  // namespace wq::policies::detail

#include "json_reader.h"

#include <algorithm>

namespace wq::policies::detail {

namespace {

using Json = nlohmann::json;

// How many problems error() lists before it only counts the rest.
constexpr std::size_t kProblemsShown = 20;

}  // namespace

void JsonReader::fail(const std::string& path, std::string_view problem) {
  if (mode_ == Mode::first_problem && failed()) return;
  std::string entry = (path.empty() ? std::string("(root)") : path) + ": " + std::string(problem);
  if (std::find(problems_.begin(), problems_.end(), entry) == problems_.end()) {
    problems_.push_back(std::move(entry));
  }
}

Error JsonReader::error() const {
  std::string message;
  for (std::size_t i = 0; i < problems_.size() && i < kProblemsShown; ++i) {
    message += (i == 0 ? "" : "; ") + problems_[i];
  }
  if (problems_.size() > kProblemsShown) {
    message += "; and " + std::to_string(problems_.size() - kProblemsShown) + " more";
  }
  return make_error("policies.bad_document", message);
}

const Json* JsonReader::member(const Json& object, const std::string& path, std::string_view key,
                               Type type, bool required) {
  const auto it = object.find(key);  // end() when `object` is not an object
  if (it == object.end()) {
    if (required) fail(member_path(path, key), "missing");
    return nullptr;
  }
  const bool typed = type == Type::object    ? it->is_object()
                     : type == Type::array   ? it->is_array()
                     : type == Type::string  ? it->is_string()
                     : type == Type::integer ? it->is_number_integer()
                                             : it->is_boolean();
  if (!typed) {
    fail(member_path(path, key), type == Type::object    ? "must be an object"
                                 : type == Type::array   ? "must be an array"
                                 : type == Type::string  ? "must be a string"
                                 : type == Type::integer ? "must be an integer"
                                                         : "must be true or false");
    return nullptr;
  }
  return &*it;
}

bool JsonReader::object(const Json& value, const std::string& path,
                        std::initializer_list<std::string_view> allowed) {
  if (!value.is_object()) {
    fail(path, "must be an object");
    return false;
  }
  for (const auto& item : value.items()) {
    if (std::find(allowed.begin(), allowed.end(), item.key()) == allowed.end()) {
      fail(member_path(path, item.key()), unknown_key_);
    }
  }
  return true;
}

const Json* JsonReader::member_object(const Json& object, const std::string& path,
                                      std::string_view key, bool optional) {
  return member(object, path, key, Type::object, !optional);
}

const Json* JsonReader::array(const Json& object, const std::string& path, std::string_view key) {
  return member(object, path, key, Type::array, true);
}

std::string JsonReader::string(const Json& object, const std::string& path, std::string_view key) {
  const Json* value = member(object, path, key, Type::string, true);
  if (value == nullptr) return {};
  if (value->get_ref<const std::string&>().empty()) {
    fail(member_path(path, key), "must not be empty");
    return {};
  }
  return value->get<std::string>();
}

std::optional<std::string> JsonReader::optional_string(const Json& object, const std::string& path,
                                                       std::string_view key) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return std::nullopt;
  return string(object, path, key);
}

std::int64_t JsonReader::integer(const Json& object, const std::string& path, std::string_view key,
                                 std::int64_t min, std::int64_t max) {
  const Json* value = member(object, path, key, Type::integer, true);
  if (value == nullptr) return 0;
  const bool in_range = value->is_number_unsigned()
                            ? value->get<std::uint64_t>() <= static_cast<std::uint64_t>(max)
                            : value->get<std::int64_t>() <= max;
  if (!in_range || value->get<std::int64_t>() < min) {
    fail(member_path(path, key),
         "must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
    return 0;
  }
  return value->get<std::int64_t>();
}

bool JsonReader::boolean(const Json& object, const std::string& path, std::string_view key,
                         std::optional<bool> absent) {
  const Json* value = member(object, path, key, Type::boolean, !absent);
  return value != nullptr ? value->get<bool>() : absent.value_or(false);
}

std::vector<std::string> JsonReader::strings(const Json& object, const std::string& path,
                                             std::string_view key) {
  std::vector<std::string> out;
  const Json* values = array(object, path, key);
  if (values == nullptr) return out;
  const std::string here = member_path(path, key);
  if (values->empty()) fail(here, "must not be empty");
  for (std::size_t i = 0; i < values->size(); ++i) {
    const Json& value = (*values)[i];
    if (!value.is_string()) {
      fail(index_path(here, i), "must be a string");
    } else if (value.get_ref<const std::string&>().empty()) {
      fail(index_path(here, i), "must not be empty");
    }
    out.push_back(value.is_string() ? value.get<std::string>() : std::string());
  }
  return out;
}

}  // namespace wq::policies::detail

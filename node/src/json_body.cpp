#include "json_body.h"

#include "weiquan/policies/validation.h"

namespace wq::node::http {
namespace {

struct TooDeep {};

}  // namespace

Result<nlohmann::json> parse_json_object(std::string_view body) {
  nlohmann::json value;
  try {
    value =
        nlohmann::json::parse(body, [](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
          if (depth > kMaxJsonDepth) throw TooDeep{};
          return true;
        });
  } catch (const TooDeep&) {
    return make_error("node.bad_json",
                      "the JSON body nests deeper than " + std::to_string(kMaxJsonDepth));
  } catch (const nlohmann::json::exception& e) {
    return make_error("node.bad_json", std::string("the body is not valid JSON: ") + e.what());
  }
  if (!value.is_object()) return make_error("node.bad_json", "the body must be a JSON object");
  return value;
}

FieldReader::FieldReader(const nlohmann::json& object, std::string where)
    : object_(object), where_(std::move(where)) {}

const nlohmann::json* FieldReader::find(std::string_view key) {
  read_.emplace(key);
  const auto it = object_.find(key);
  if (it == object_.end() || it->is_null()) return nullptr;
  return &*it;
}

bool FieldReader::has(std::string_view key) const {
  const auto it = object_.find(key);
  return it != object_.end() && !it->is_null();
}

void FieldReader::fail(Error error) {
  if (!error_) error_ = std::move(error);
}

void FieldReader::bad(std::string_view key, std::string_view why) {
  fail(make_error("node.bad_field", where_ + std::string(key) + ": " + std::string(why)));
}

std::string FieldReader::text(std::string_view key, std::size_t max_characters, bool required,
                              bool multiline) {
  const nlohmann::json* value = find(key);
  if (value == nullptr) {
    if (required) bad(key, "required");
    return {};
  }
  if (!value->is_string()) {
    bad(key, "must be a string");
    return {};
  }
  std::string text = value->get<std::string>();
  if (required && text.empty()) {
    bad(key, "must not be empty");
    return {};
  }
  const auto lines = multiline ? policies::TextLines::multiple : policies::TextLines::single;
  if (Status ok = policies::check_text(text, max_characters, lines); !ok) {
    bad(key, ok.error().message);
    return {};
  }
  return text;
}

bool FieldReader::flag(std::string_view key, bool fallback) {
  const nlohmann::json* value = find(key);
  if (value == nullptr) return fallback;
  if (!value->is_boolean()) {
    bad(key, "must be true or false");
    return fallback;
  }
  return value->get<bool>();
}

std::optional<std::int64_t> FieldReader::integer(std::string_view key, std::int64_t min,
                                                 std::int64_t max) {
  const nlohmann::json* value = find(key);
  if (value == nullptr) return std::nullopt;
  if (!value->is_number_integer()) {
    bad(key, "must be an integer");
    return std::nullopt;
  }
  const auto number = value->get<std::int64_t>();
  if (number < min || number > max || (value->is_number_unsigned() && number < 0)) {
    bad(key, "must lie between " + std::to_string(min) + " and " + std::to_string(max));
    return std::nullopt;
  }
  return number;
}

const nlohmann::json* FieldReader::object(std::string_view key) {
  const nlohmann::json* value = find(key);
  if (value != nullptr && !value->is_object()) {
    bad(key, "must be an object");
    return nullptr;
  }
  return value;
}

Status FieldReader::finish() {
  if (error_) return *error_;
  for (const auto& [key, value] : object_.items()) {
    if (!read_.contains(key)) {
      return make_error("node.unknown_field", "unknown field " + where_ + key);
    }
  }
  return {};
}

}  // namespace wq::node::http

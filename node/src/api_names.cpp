#include "api_names.h"

#include <google/protobuf/descriptor.h>

namespace wq::node::http::detail {
namespace {

constexpr std::string_view kUnspecified = "UNSPECIFIED";

// The enum's value prefix, from its UNSPECIFIED value: "CHANNEL_UNSPECIFIED" -> "CHANNEL_".
std::string_view prefix_of(const google::protobuf::EnumDescriptor& descriptor) {
  const std::string_view zero = descriptor.value(0)->name();
  if (!zero.ends_with(kUnspecified)) return {};
  return zero.substr(0, zero.size() - kUnspecified.size());
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

std::string api_name(const google::protobuf::EnumDescriptor& descriptor, int number) {
  const auto* value = descriptor.FindValueByNumber(number);
  if (value == nullptr || number == 0) return {};
  return lower(std::string_view(value->name()).substr(prefix_of(descriptor).size()));
}

std::optional<int> parse_api_name(const google::protobuf::EnumDescriptor& descriptor,
                                  std::string_view name) {
  for (int i = 0; i < descriptor.value_count(); ++i) {
    const auto* value = descriptor.value(i);
    if (value->number() != 0 && api_name(descriptor, value->number()) == name) {
      return value->number();
    }
  }
  return std::nullopt;
}

std::vector<std::string> api_names(const google::protobuf::EnumDescriptor& descriptor) {
  std::vector<std::string> names;
  for (int i = 0; i < descriptor.value_count(); ++i) {
    if (descriptor.value(i)->number() != 0) {
      names.push_back(api_name(descriptor, descriptor.value(i)->number()));
    }
  }
  return names;
}

}  // namespace wq::node::http::detail

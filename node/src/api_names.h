// The names the HTTP API uses for the enums of the wire schema: the value's name without its enum
// prefix, in lower case (CHANNEL_TRANSFER_12345 -> "transfer_12345", SATISFACTION_VERY_SATISFIED
// -> "very_satisfied"). UNSPECIFIED has no API name. Derived from the schema's descriptors, so a
// value added to weiquan.proto gets its name without code here.
//
// Thread safety: pure functions.
#pragma once

#include <google/protobuf/generated_enum_reflection.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "weiquan/policies/types.h"
#include "weiquan/v1/weiquan.pb.h"

namespace wq::node::http {

namespace detail {
std::string api_name(const google::protobuf::EnumDescriptor& descriptor, int number);
std::optional<int> parse_api_name(const google::protobuf::EnumDescriptor& descriptor,
                                  std::string_view name);
std::vector<std::string> api_names(const google::protobuf::EnumDescriptor& descriptor);
}  // namespace detail

template <class Enum>
std::string api_name(Enum value) {
  return detail::api_name(*google::protobuf::GetEnumDescriptor<Enum>(), static_cast<int>(value));
}

template <class Enum>
std::optional<Enum> parse_api_name(std::string_view name) {
  auto number = detail::parse_api_name(*google::protobuf::GetEnumDescriptor<Enum>(), name);
  if (!number) return std::nullopt;
  return static_cast<Enum>(*number);
}

// Every API name of the enum, for error messages ("one of web, app, ...").
template <class Enum>
std::vector<std::string> api_names() {
  return detail::api_names(*google::protobuf::GetEnumDescriptor<Enum>());
}

// The wire role of an account role (the names are the same).
inline weiquan::v1::Role wire_role(policies::Role role) {
  return parse_api_name<weiquan::v1::Role>(policies::role_name(role))
      .value_or(weiquan::v1::ROLE_UNSPECIFIED);
}

}  // namespace wq::node::http

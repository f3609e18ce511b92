#include "proto_util.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/unknown_field_set.h>

#include <cassert>
#include <climits>
#include <string>
#include <vector>

namespace wq::sync {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

bool known_enum(const FieldDescriptor& field, int number) {
  return field.enum_type()->FindValueByNumber(number) != nullptr;
}

// The path of the first unknown field or enum value, or "" when there is none.
std::string find_unknown(const Message& message) {
  const auto* reflection = message.GetReflection();
  if (!reflection->GetUnknownFields(message).empty()) return message.GetDescriptor()->name();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    const int count = field->is_repeated() ? reflection->FieldSize(message, field) : 1;
    for (int i = 0; i < count; ++i) {
      if (field->cpp_type() == FieldDescriptor::CPPTYPE_ENUM) {
        const int number = field->is_repeated()
                               ? reflection->GetRepeatedEnumValue(message, field, i)
                               : reflection->GetEnumValue(message, field);
        if (!known_enum(*field, number)) return field->full_name() + "=" + std::to_string(number);
      } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        const Message& child = field->is_repeated()
                                   ? reflection->GetRepeatedMessage(message, field, i)
                                   : reflection->GetMessage(message, field);
        std::string inner = find_unknown(child);
        if (!inner.empty()) return field->full_name() + "/" + inner;
      }
    }
  }
  return {};
}

}  // namespace

Status parse_strict(crypto::ByteView bytes, std::size_t max_bytes, std::string_view what,
                    Message& out) {
  if (bytes.size() > max_bytes) {
    return make_error("sync.too_large", std::string(what) + " of " + std::to_string(bytes.size()) +
                                            " bytes exceeds " + std::to_string(max_bytes));
  }
  assert(max_bytes <= INT_MAX);
  if (!out.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return make_error("sync.malformed", std::string(what) + " does not parse");
  }
  std::string unknown = find_unknown(out);
  if (!unknown.empty()) {
    return make_error("sync.unknown_fields",
                      std::string(what) + " carries unknown content (" + unknown + ")");
  }
  return {};
}

crypto::Bytes serialize(const Message& message) {
  crypto::Bytes out(message.ByteSizeLong());
  const bool ok = message.SerializeToArray(out.data(), static_cast<int>(out.size()));
  assert(ok);
  (void)ok;
  return out;
}

weiquan::v1::Signed wrap_signed(crypto::ByteView body, const crypto::Signature& signature,
                                std::string_view signer) {
  weiquan::v1::Signed wire;
  wire.set_body(body.data(), body.size());
  wire.set_signature(signature.data(), signature.size());
  wire.set_signer(std::string(signer));
  return wire;
}

Result<crypto::Signature> signature_from(crypto::ByteView bytes) {
  auto signature = crypto::to_array<64>(bytes);
  if (!signature) return make_error("sync.malformed", "signature must be 64 bytes");
  return *signature;
}

}  // namespace wq::sync

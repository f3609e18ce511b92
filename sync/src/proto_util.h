// Parsing signed Protobuf bodies strictly: size limit first, then parse, then refuse unknown fields
// and unknown enum values at any depth (proto3 keeps both silently, which would let bytes carry
// content the receiver never checked).
#pragma once

#include <google/protobuf/message.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "weiquan/crypto/bytes.h"
#include "weiquan/result.h"
#include "weiquan/v1/weiquan.pb.h"

namespace wq::sync {

// The `version` every v1 body carries.
inline constexpr std::uint32_t kWireVersion = 1;

// sync.too_large, sync.malformed or sync.unknown_fields; `what` names the object in messages.
Status parse_strict(crypto::ByteView bytes, std::size_t max_bytes, std::string_view what,
                    google::protobuf::Message& out);

// The message serialized once, as bytes.
crypto::Bytes serialize(const google::protobuf::Message& message);

// The wire wrapper of a signed body.
weiquan::v1::Signed wrap_signed(crypto::ByteView body, const crypto::Signature& signature,
                                std::string_view signer);

// A received signature: exactly 64 bytes, else sync.malformed.
Result<crypto::Signature> signature_from(crypto::ByteView bytes);

}  // namespace wq::sync

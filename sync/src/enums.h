// Conversions between the wire enums of weiquan.v1 and the vocabulary of crypto/ and policies/.
// Each returns nullopt for UNSPECIFIED (and for values the schema does not define).
#pragma once

#include <optional>

#include "weiquan/crypto/certificate.h"
#include "weiquan/policies/types.h"
#include "weiquan/v1/weiquan.pb.h"

namespace wq::sync {

std::optional<crypto::Level> from_wire(weiquan::v1::Level level);
weiquan::v1::Level to_wire(crypto::Level level);

std::optional<policies::TicketType> from_wire(weiquan::v1::TicketType type);
std::optional<policies::Role> from_wire(weiquan::v1::Role role);

}  // namespace wq::sync

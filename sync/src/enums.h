// Conversions between the wire enums of weiquan.v1 and the vocabulary of crypto/ and policies/.
// Each returns nullopt (or "") for UNSPECIFIED and for values the schema does not define.
#pragma once

#include <optional>
#include <string_view>

#include "weiquan/crypto/certificate.h"
#include "weiquan/policies/types.h"
#include "weiquan/v1/weiquan.pb.h"

namespace wq::sync {

std::optional<crypto::Level> from_wire(weiquan::v1::Level level);
weiquan::v1::Level to_wire(crypto::Level level);

std::optional<policies::TicketType> from_wire(weiquan::v1::TicketType type);
std::optional<policies::Role> from_wire(weiquan::v1::Role role);

// "station", "officer", "enterprise" or "association": the lifecycle's variant of `assigned` and
// Ticket::assignee_kind.
std::string_view assignee_kind_name(weiquan::v1::AssigneeKind kind);

}  // namespace wq::sync

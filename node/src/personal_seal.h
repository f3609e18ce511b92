// Consumers' personal data inside tickets: sealed (crypto_box_seal) to each node that handles the
// ticket, so the signed events carry it without anyone else — ancestors monitoring the subtree,
// a business — being able to read it. The plaintext is a small JSON object
// {"name","id_number","phone","address"} (docs/protocol.md).
//
// Thread safety: pure functions.
// Failure codes: crypto.* of sealing and opening; node.bad_personal_data (opened bytes that are
// not the JSON above).
#pragma once

#include <optional>
#include <span>
#include <string_view>

#include "weiquan/crypto/keys.h"
#include "weiquan/node/accounts.h"
#include "weiquan/sync/event_codec.h"
#include "weiquan/v1/weiquan.pb.h"

namespace wq::node {

Result<weiquan::v1::SealedFor> seal_personal_data(const PersonalData& person,
                                                  std::string_view node_id,
                                                  const crypto::PublicKey& box_key);

// The personal data sealed for `node_id` among `sealed`, or nullopt when none is sealed for it
// (an anonymous report, or a ticket this node only monitors).
Result<std::optional<PersonalData>> open_personal_data(
    const google::protobuf::RepeatedPtrField<weiquan::v1::SealedFor>& sealed,
    std::string_view node_id, const crypto::BoxKeyPair& box);

// The personal data sealed for `node_id` in a ticket's chain: the newest copy made for it, by the
// filing or by a transfer or station assignment that re-sealed it for this node; nullopt when no
// event carries one for it.
Result<std::optional<PersonalData>> open_ticket_personal_data(
    std::span<const sync::SignedEvent> events, std::string_view node_id,
    const crypto::BoxKeyPair& box);

}  // namespace wq::node

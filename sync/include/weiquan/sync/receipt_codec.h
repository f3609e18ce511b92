// Receipt codec: the consumer's signed proof of filing (ticket id, receipt time, competent office,
// the event id of the `submitted` event, rule version), signed with Domain::receipt by the intake
// node. A receipt proves the filing date and deadlines even if the node later fails.
//
// Thread safety: pure functions.
// Failure codes: sync.too_large, sync.malformed, sync.unknown_fields, sync.bad_version,
// sync.bad_receipt, sync.bad_signature.
#pragma once

#include <string>
#include <string_view>

#include "weiquan/crypto/keys.h"
#include "weiquan/result.h"
#include "weiquan/sync/event_codec.h"
#include "weiquan/v1/weiquan.pb.h"

namespace wq::sync {

inline constexpr std::size_t kMaxReceiptBytes = 4 * 1024;

struct SignedReceipt {
  weiquan::v1::ReceiptBody body;  // decoded from body_bytes
  crypto::Bytes body_bytes;       // exact signed bytes
  crypto::Signature signature{};
  std::string signer;  // node id of the intake node
};

// The receipt for a ticket's `submitted` event, signed by its author's key.
Result<SignedReceipt> issue_receipt(const SignedEvent& submitted, std::string_view competent_office,
                                    const crypto::SigningKeyPair& key);

// issue_receipt in two steps (see encode_event): the unsigned receipt, then its signature.
Result<SignedReceipt> encode_receipt(const SignedEvent& submitted,
                                     std::string_view competent_office);
void sign_receipt(SignedReceipt& receipt, const crypto::SigningKeyPair& key);

Result<SignedReceipt> decode_receipt(const weiquan::v1::Signed& wire);

weiquan::v1::Signed to_wire(const SignedReceipt& receipt);

// sync.bad_signature unless the receipt is validly signed by `signer_key`.
Status verify_signature(const SignedReceipt& receipt, const crypto::PublicKey& signer_key);

}  // namespace wq::sync

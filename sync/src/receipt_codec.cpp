#include "weiquan/sync/receipt_codec.h"

#include <cassert>
#include <string>

#include "proto_util.h"
#include "weiquan/crypto/signing.h"
#include "weiquan/sync/node_id.h"
#include "weiquan/sync/ticket_id.h"

namespace wq::sync {
namespace {

Error bad_receipt(const weiquan::v1::ReceiptBody& body, std::string_view why) {
  return make_error(
      "sync.bad_receipt",
      "receipt of " + body.ticket_id().substr(0, kMaxTicketIdLength) + ": " + std::string(why));
}

Status check_receipt(const weiquan::v1::ReceiptBody& body, std::string_view signer) {
  if (body.version() != kWireVersion) {
    return make_error("sync.bad_version", "receipt version is not 1");
  }
  auto ticket = parse_ticket_id(body.ticket_id());
  if (!ticket) return ticket.error();
  if (ticket->intake_node != signer) return bad_receipt(body, "signer is not the intake node");
  if (body.received_at_ms() <= 0) return bad_receipt(body, "receipt time is not positive");
  if (!valid_node_id(body.competent_office())) {
    return bad_receipt(body, "competent office is not a node id");
  }
  if (body.filing_hash().size() != crypto::Hash{}.size()) {
    return bad_receipt(body, "filing hash must be 32 bytes");
  }
  if (body.rule_version().empty()) return bad_receipt(body, "no rule version");
  return {};
}

}  // namespace

Result<SignedReceipt> issue_receipt(const SignedEvent& submitted, std::string_view competent_office,
                                    const crypto::SigningKeyPair& key) {
  auto receipt = encode_receipt(submitted, competent_office);
  if (receipt) sign_receipt(*receipt, key);
  return receipt;
}

Result<SignedReceipt> encode_receipt(const SignedEvent& submitted,
                                     std::string_view competent_office) {
  assert(submitted.body.has_submitted());
  SignedReceipt receipt;
  receipt.body.set_version(kWireVersion);
  receipt.body.set_ticket_id(submitted.ticket_id());
  receipt.body.set_received_at_ms(submitted.body.submitted().received_at_ms());
  receipt.body.set_competent_office(std::string(competent_office));
  receipt.body.set_filing_hash(submitted.id.data(), submitted.id.size());
  receipt.body.set_rule_version(submitted.body.submitted().rule_version());
  receipt.signer = submitted.author();
  if (Status ok = check_receipt(receipt.body, receipt.signer); !ok) return ok.error();
  receipt.body_bytes = serialize(receipt.body);
  return receipt;
}

void sign_receipt(SignedReceipt& receipt, const crypto::SigningKeyPair& key) {
  receipt.signature = crypto::sign(key, crypto::Domain::receipt, receipt.body_bytes);
}

Result<SignedReceipt> decode_receipt(const weiquan::v1::Signed& wire) {
  SignedReceipt receipt;
  const crypto::ByteView body = crypto::as_bytes(wire.body());
  if (Status ok = parse_strict(body, kMaxReceiptBytes, "receipt", receipt.body); !ok) {
    return ok.error();
  }
  auto signature = signature_from(crypto::as_bytes(wire.signature()));
  if (!signature) return signature.error();
  if (Status ok = check_receipt(receipt.body, wire.signer()); !ok) return ok.error();
  receipt.body_bytes.assign(body.begin(), body.end());
  receipt.signature = *signature;
  receipt.signer = wire.signer();
  return receipt;
}

weiquan::v1::Signed to_wire(const SignedReceipt& receipt) {
  return wrap_signed(receipt.body_bytes, receipt.signature, receipt.signer);
}

Status verify_signature(const SignedReceipt& receipt, const crypto::PublicKey& signer_key) {
  if (!crypto::verify(signer_key, crypto::Domain::receipt, receipt.body_bytes, receipt.signature)) {
    return make_error("sync.bad_signature", "receipt signature does not verify");
  }
  return {};
}

}  // namespace wq::sync

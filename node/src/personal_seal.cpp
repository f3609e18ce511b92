#include "personal_seal.h"

#include "weiquan/crypto/seal.h"

namespace wq::node {

Result<weiquan::v1::SealedFor> seal_personal_data(const PersonalData& person,
                                                  std::string_view node_id,
                                                  const crypto::PublicKey& box_key) {
  const std::string plain = encode_personal_data(person);
  auto box = crypto::seal(box_key, crypto::as_bytes(plain));
  if (!box) return box.error();
  weiquan::v1::SealedFor sealed;
  sealed.set_node_id(std::string(node_id));
  sealed.set_box(box->data(), box->size());
  return sealed;
}

Result<std::optional<PersonalData>> open_personal_data(
    const google::protobuf::RepeatedPtrField<weiquan::v1::SealedFor>& sealed,
    std::string_view node_id, const crypto::BoxKeyPair& box) {
  for (const auto& entry : sealed) {
    if (entry.node_id() != node_id) continue;
    auto plain = crypto::open_sealed(box, crypto::as_bytes(entry.box()));
    if (!plain) return plain.error();
    auto person = decode_personal_data(
        std::string_view(reinterpret_cast<const char*>(plain->data()), plain->size()));
    if (!person) return person.error();
    return std::optional<PersonalData>(std::move(*person));
  }
  return std::optional<PersonalData>();
}

Result<std::optional<PersonalData>> open_ticket_personal_data(
    std::span<const sync::SignedEvent> events, std::string_view node_id,
    const crypto::BoxKeyPair& box) {
  for (auto event = events.rbegin(); event != events.rend(); ++event) {
    const weiquan::v1::EventBody& body = event->body;
    const google::protobuf::RepeatedPtrField<weiquan::v1::SealedFor>* sealed =
        body.has_transferred() ? &body.transferred().personal()
        : body.has_assigned()  ? &body.assigned().personal()
        : body.has_submitted() ? &body.submitted().personal()
                               : nullptr;
    if (sealed == nullptr) continue;
    auto person = open_personal_data(*sealed, node_id, box);
    if (!person || *person) return person;
  }
  return std::optional<PersonalData>();
}

}  // namespace wq::node

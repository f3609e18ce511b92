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

}  // namespace wq::node

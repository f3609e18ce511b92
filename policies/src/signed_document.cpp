#include "weiquan/crypto/signing.h"
#include "weiquan/policies/policy_document.h"

namespace wq::policies {

Result<PolicyDocument> verify_signed_document(std::string_view json,
                                              const crypto::Signature& signature,
                                              const crypto::PublicKey& signer) {
  if (!crypto::verify(signer, crypto::Domain::policy, crypto::as_bytes(json), signature)) {
    return make_error("policies.bad_signature",
                      "the policy document's signature does not verify under the signer's key");
  }
  return PolicyDocument::parse(json);
}

}  // namespace wq::policies

#include "weiquan/crypto/seal.h"

#include <sodium.h>

#include "ready.h"

namespace wq::crypto {

Result<Bytes> seal(const PublicKey& recipient_box_key, ByteView plaintext) {
  detail::ensure_ready();
  Bytes box(plaintext.size() + crypto_box_SEALBYTES);
  if (crypto_box_seal(box.data(), plaintext.data(), plaintext.size(), recipient_box_key.data()) !=
      0) {
    return make_error("crypto.bad_public_key", "cannot seal to this box key (not a usable point)");
  }
  return box;
}

Result<Bytes> open_sealed(const BoxKeyPair& recipient, ByteView box) {
  detail::ensure_ready();
  if (box.size() < crypto_box_SEALBYTES) {
    return make_error("crypto.seal_open_failed", "sealed box is shorter than its overhead");
  }
  Bytes plaintext(box.size() - crypto_box_SEALBYTES);
  if (crypto_box_seal_open(plaintext.data(), box.data(), box.size(), recipient.public_key.data(),
                           recipient.secret.data()) != 0) {
    return make_error("crypto.seal_open_failed",
                      "sealed box was not sealed to this key or has been altered");
  }
  return plaintext;
}

}  // namespace wq::crypto

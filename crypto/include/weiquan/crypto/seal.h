// Sealed boxes (crypto_box_seal): anonymous public-key encryption of personal data to one node's
// X25519 key. Only the holder of the matching secret key can open it; the sender cannot.
//
// Thread safety: pure functions. open_sealed fails with "crypto.seal_open_failed" for a box that was
// not sealed to this key or was altered.
#pragma once

#include "weiquan/crypto/keys.h"

namespace wq::crypto {

Bytes seal(const PublicKey& recipient_box_key, ByteView plaintext);
Result<Bytes> open_sealed(const BoxKeyPair& recipient, ByteView box);

}  // namespace wq::crypto

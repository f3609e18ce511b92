// Sealed boxes (crypto_box_seal): anonymous public-key encryption of personal data to one node's
// X25519 key. Only the holder of the matching secret key can open it; the sender cannot. A box is
// crypto_box_SEALBYTES (48) bytes longer than its plaintext.
//
// Thread safety: pure functions.
// Failure codes: seal fails with "crypto.bad_public_key" for a key no box can be sealed to (a
// low-order point, e.g. all zeros, as a certificate could carry). open_sealed fails with
// "crypto.seal_open_failed" for a box that was not sealed to this key, was altered or is truncated.
#pragma once

#include "weiquan/crypto/keys.h"

namespace wq::crypto {

Result<Bytes> seal(const PublicKey& recipient_box_key, ByteView plaintext);
Result<Bytes> open_sealed(const BoxKeyPair& recipient, ByteView box);

}  // namespace wq::crypto

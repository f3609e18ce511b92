// BLAKE2b-256 (crypto_generichash with a 32-byte output, no key).
//
// Thread safety: pure functions. Never fails.
#pragma once

#include "weiquan/crypto/bytes.h"

namespace wq::crypto {

Hash blake2b_256(ByteView data);

// Incremental form for hashing several pieces (e.g. a hash over many ticket ids).
class Hasher {
 public:
  Hasher();
  void update(ByteView data);
  Hash finish();

 private:
  alignas(64) unsigned char state_[384];
};

}  // namespace wq::crypto

// BLAKE2b-256 (crypto_generichash with a 32-byte output, no key): event ids, chain links, filing
// hashes, digests for anti-entropy.
//
// Ownership: a Hasher owns its state inline (no allocation); it may be copied to fork a digest.
// Thread safety: blake2b_256 is a pure function; a Hasher belongs to one thread at a time.
// Failure: never fails. Calling finish() twice, or update() after finish(), is a bug (asserted).
#pragma once

#include "weiquan/crypto/bytes.h"

namespace wq::crypto {

Hash blake2b_256(ByteView data);

// Incremental form for hashing several pieces (e.g. a hash over many ticket ids). The digest of
// update(a); update(b) equals blake2b_256(a || b).
class Hasher {
 public:
  Hasher();
  void update(ByteView data);
  Hash finish();

 private:
  // Storage for libsodium's crypto_generichash_state; hash.cpp checks size and alignment.
  alignas(64) unsigned char state_[384];
  bool finished_ = false;
};

}  // namespace wq::crypto

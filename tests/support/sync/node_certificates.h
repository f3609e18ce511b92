// Node certificates for tests, the simulator and the benchmarks: every one of them valid from
// 2020-01-01 to 2040-01-01 with serial 1, the region equal to the node id.
//
// Ownership: values in, values out. Thread safety: pure functions. Failure: the codes of
// sync::issue_certificate and sync::issue_anchor_certificate (sync.bad_certificate).
#pragma once

#include <cstdint>
#include <string>

#include "weiquan/crypto/certificate.h"
#include "weiquan/crypto/keys.h"
#include "weiquan/result.h"

namespace wq::testing {

inline constexpr std::int64_t kCertificateFrom = 1'577'836'800'000;   // 2020-01-01
inline constexpr std::int64_t kCertificateUntil = 2'208'988'800'000;  // 2040-01-01

// The national node's self-signed certificate for `keys`.
Result<crypto::SignedCertificate> anchor_certificate(const crypto::NodeKeys& keys);

// The certificate of node `id` at `level` for `keys`, issued by node `issuer` with `issuer_key`.
Result<crypto::SignedCertificate> node_certificate(const std::string& id, crypto::Level level,
                                                   const crypto::NodeKeys& keys,
                                                   const std::string& issuer,
                                                   const crypto::SigningKeyPair& issuer_key);

}  // namespace wq::testing

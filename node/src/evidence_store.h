// EvidenceStore: files consumers, officers and businesses attach to tickets (photos, receipts,
// contracts, recordings), kept content-addressed under D/evidence/<2 hex>/<64 hex>: the name is
// the BLAKE2b-256 of the bytes, the hash the `evidence_added` event signs. The same file twice is
// stored once. A file is written to a temporary name, synced and renamed, so a crash never leaves
// a partial file under a hash name.
//
// Accepted types (checked against the file's leading bytes, not only the declared type): JPEG,
// PNG, PDF, MP3 and MP4. Size: 1 byte up to the limit given at construction.
//
// Thread safety: put() and get() from any thread (files are immutable once renamed).
// Failure codes: node.unsupported_media_type, node.payload_too_large, node.bad_field (empty file),
// node.unknown_evidence, node.io.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "weiquan/crypto/hash.h"
#include "weiquan/result.h"

namespace wq::node {

struct StoredEvidence {
  crypto::Hash hash{};
  std::string media_type;
  std::size_t size = 0;
};

class EvidenceStore {
 public:
  EvidenceStore(std::filesystem::path root, std::size_t max_bytes);

  std::size_t max_bytes() const { return max_bytes_; }

  // Checks `media_type` (parameters after ';' ignored) against the content, then stores it.
  Result<StoredEvidence> put(std::string_view media_type, std::string_view content) const;
  Result<std::string> get(const crypto::Hash& hash) const;

 private:
  std::filesystem::path path_of(const crypto::Hash& hash) const;

  std::filesystem::path root_;
  std::size_t max_bytes_;
};

}  // namespace wq::node

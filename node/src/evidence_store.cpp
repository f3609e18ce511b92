#include "evidence_store.h"

#include <array>
#include <fstream>
#include <sstream>
#include <system_error>

#include "atomic_file.h"

namespace wq::node {
namespace {

struct MediaType {
  std::string_view name;
  std::string_view magic;  // leading bytes every file of the type starts with
  std::size_t magic_at = 0;
};

// MP3 files start with an ID3 tag or an MPEG frame sync; the frame form is checked separately.
constexpr std::array<MediaType, 5> kMediaTypes = {{
    {"image/jpeg", "\xFF\xD8\xFF", 0},
    {"image/png", "\x89PNG\r\n\x1A\n", 0},
    {"application/pdf", "%PDF-", 0},
    {"audio/mpeg", "ID3", 0},
    {"video/mp4", "ftyp", 4},
}};

std::string_view essence(std::string_view media_type) {
  media_type = media_type.substr(0, media_type.find(';'));
  while (!media_type.empty() && media_type.back() == ' ') media_type.remove_suffix(1);
  return media_type;
}

bool mpeg_frame(std::string_view content) {
  return content.size() >= 2 && static_cast<unsigned char>(content[0]) == 0xFF &&
         (static_cast<unsigned char>(content[1]) & 0xE0) == 0xE0;
}

Status check_type(std::string_view media_type, std::string_view content) {
  const std::string_view name = essence(media_type);
  for (const MediaType& type : kMediaTypes) {
    if (type.name != name) continue;
    const bool matches =
        content.substr(std::min(type.magic_at, content.size())).starts_with(type.magic) ||
        (name == "audio/mpeg" && mpeg_frame(content));
    if (matches) return {};
    return make_error("node.unsupported_media_type",
                      "the file is declared " + std::string(name) + " but is not one");
  }
  return make_error("node.unsupported_media_type",
                    "evidence must be image/jpeg, image/png, application/pdf, audio/mpeg or "
                    "video/mp4, not " +
                        std::string(name.substr(0, 100)));
}

}  // namespace

EvidenceStore::EvidenceStore(std::filesystem::path root, std::size_t max_bytes)
    : root_(std::move(root)), max_bytes_(max_bytes) {}

std::filesystem::path EvidenceStore::path_of(const crypto::Hash& hash) const {
  const std::string hex = crypto::to_hex(hash);
  return root_ / hex.substr(0, 2) / hex;
}

Result<StoredEvidence> EvidenceStore::put(std::string_view media_type,
                                          std::string_view content) const {
  if (content.empty()) return make_error("node.bad_field", "the evidence file is empty");
  if (content.size() > max_bytes_) {
    return make_error("node.payload_too_large",
                      "evidence files are limited to " + std::to_string(max_bytes_) + " bytes");
  }
  if (Status ok = check_type(media_type, content); !ok) return ok.error();
  StoredEvidence stored{crypto::blake2b_256(crypto::as_bytes(content)),
                        std::string(essence(media_type)), content.size()};
  const auto path = path_of(stored.hash);
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) return stored;
  std::filesystem::create_directories(path.parent_path(), ec);
  if (ec) return make_error("node.io", path.parent_path().string() + ": " + ec.message());
  if (Status ok = write_file_atomically(path, content); !ok) return ok.error();
  return stored;
}

Result<std::string> EvidenceStore::get(const crypto::Hash& hash) const {
  std::ifstream in(path_of(hash), std::ios::binary);
  if (!in) {
    return make_error("node.unknown_evidence", "no evidence file " + crypto::to_hex(hash));
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return std::move(bytes).str();
}

}  // namespace wq::node

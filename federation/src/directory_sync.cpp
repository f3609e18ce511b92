#include "weiquan/federation/directory_sync.h"

#include <set>
#include <utility>

#include "weiquan/crypto/hash.h"
#include "weiquan/federation/interest.h"
#include "weiquan/sync/certificate_codec.h"
#include "weiquan/v1/weiquan.pb.h"
#include "wire_bytes.h"

namespace wq::federation {
namespace {

using weiquan::v1::DirectoryReply;
using weiquan::v1::RpcRequest;
using Signeds = google::protobuf::RepeatedPtrField<weiquan::v1::Signed>;

// Room left in a reply for its framing.
constexpr std::size_t kReplyBudget = sync::kMaxTransportPayload - 16 * 1024;

struct Added {
  std::uint64_t certificates = 0;
  std::uint64_t revocations = 0;
  std::uint64_t refused = 0;
};

// Adds what `store` does not hold yet, issuers first as given; what does not verify is refused.
Added add_all(sync::Store& store, const Signeds& certificates, const Signeds& revocations) {
  std::set<crypto::Hash> known;  // of the bodies held
  for (const crypto::SignedCertificate* cert : store.trust().certificates()) {
    known.insert(crypto::blake2b_256(cert->body));
  }
  for (const crypto::SignedRevocation* revocation : store.trust().revocations()) {
    known.insert(crypto::blake2b_256(revocation->body));
  }
  const auto held = [&known](const weiquan::v1::Signed& wire) {
    return known.contains(crypto::blake2b_256(crypto::as_bytes(wire.body())));
  };
  Added added;
  for (const weiquan::v1::Signed& wire : certificates) {
    if (held(wire)) continue;
    auto cert = sync::decode_certificate(wire);
    if (cert && store.add_certificate(*cert)) {
      ++added.certificates;
    } else {
      ++added.refused;
    }
  }
  for (const weiquan::v1::Signed& wire : revocations) {
    if (held(wire)) continue;
    auto revocation = sync::decode_revocation(wire);
    if (revocation && store.add_revocation(*revocation)) {
      ++added.revocations;
    } else {
      ++added.refused;
    }
  }
  return added;
}

// The page of `trust` from the given positions that fits in one reply.
DirectoryReply page_of(const crypto::TrustStore& trust, std::uint64_t certificates_from,
                       std::uint64_t revocations_from) {
  DirectoryReply reply;
  reply.set_version(1);
  const auto certificates = trust.certificates();
  const auto revocations = trust.revocations();
  reply.set_certificates_total(certificates.size());
  reply.set_revocations_total(revocations.size());
  std::size_t bytes = 0;
  for (std::size_t i = certificates_from; i < certificates.size(); ++i) {
    weiquan::v1::Signed wire = sync::to_wire(*certificates[i]);
    bytes += wire.ByteSizeLong() + 8;
    if (bytes > kReplyBudget) return reply;
    *reply.add_certificates() = std::move(wire);
  }
  for (std::size_t i = revocations_from; i < revocations.size(); ++i) {
    weiquan::v1::Signed wire = sync::to_wire(*revocations[i]);
    bytes += wire.ByteSizeLong() + 8;
    if (bytes > kReplyBudget) return reply;
    *reply.add_revocations() = std::move(wire);
  }
  return reply;
}

}  // namespace

DirectorySync::DirectorySync(sync::Transport& transport, DirectorySyncOptions options,
                             WithStore with_store, OnChange on_change)
    : transport_(transport),
      options_(std::move(options)),
      with_store_(std::move(with_store)),
      on_change_(std::move(on_change)) {}

void DirectorySync::handle(RpcRequest request, sync::Transport::Respond respond) {
  if (!request.has_directory()) {
    std::lock_guard lock(mutex_);
    ++status_.refused;
    return;  // no answer: the asker times out
  }
  with_store_([this, request = std::move(request),
               respond = std::move(respond)](sync::Store& store) {
    const auto& asked = request.directory();
    const Added added = add_all(store, asked.announce(), Signeds());
    {
      std::lock_guard lock(mutex_);
      status_.certificates_added += added.certificates;
      status_.refused += added.refused;
    }
    if (added.certificates > 0) on_change_(store.trust());
    respond(
        serialized(page_of(store.trust(), asked.certificates_from(), asked.revocations_from())));
  });
}

void DirectorySync::refresh() {
  if (options_.self == options_.source) return;
  {
    std::lock_guard lock(mutex_);
    if (refreshing_) return;
    refreshing_ = true;
  }
  request_page();
}

void DirectorySync::request_page() {
  with_store_([this](sync::Store& store) {
    RpcRequest request;
    request.set_version(1);
    request.set_origin(options_.self);
    auto& asked = *request.mutable_directory();
    const std::int64_t now = options_.now_ms();
    // Issuers first, as the receiver adds them.
    const auto chain = chain_of(store.trust(), options_.self, now);
    for (auto node = chain.rbegin(); node != chain.rend(); ++node) {
      if (auto cert = store.trust().verify_chain(*node, now)) {
        *asked.add_announce() = sync::to_wire(**cert);
      }
    }
    {
      std::lock_guard lock(mutex_);
      asked.set_certificates_from(certificates_from_);
      asked.set_revocations_from(revocations_from_);
    }
    transport_.request(
        options_.source, sync::Channel::rpc, serialized(request), options_.request_timeout,
        [this](Result<sync::Transport::Bytes> reply) { on_reply(std::move(reply)); });
  });
}

void DirectorySync::on_reply(Result<sync::Transport::Bytes> reply) {
  if (!reply) return finish(reply.error().code);
  auto page = std::make_shared<DirectoryReply>();
  if (reply->size() > sync::kMaxTransportPayload ||
      !page->ParseFromArray(reply->data(), static_cast<int>(reply->size())) ||
      page->version() != 1) {
    return finish("federation.bad_directory_reply");
  }
  with_store_([this, page](sync::Store& store) {
    const Added added = add_all(store, page->certificates(), page->revocations());
    if (added.certificates + added.revocations > 0) on_change_(store.trust());
    bool more = false;
    {
      std::lock_guard lock(mutex_);
      status_.certificates_added += added.certificates;
      status_.revocations_added += added.revocations;
      status_.refused += added.refused;
      certificates_from_ += static_cast<std::uint64_t>(page->certificates_size());
      revocations_from_ += static_cast<std::uint64_t>(page->revocations_size());
      // A source that holds fewer than we reached (restored from a backup) is read again from
      // the start next time; what we hold already is skipped.
      if (certificates_from_ > page->certificates_total() ||
          revocations_from_ > page->revocations_total()) {
        certificates_from_ = 0;
        revocations_from_ = 0;
      }
      const bool progressed = page->certificates_size() + page->revocations_size() > 0;
      more = progressed && (certificates_from_ < page->certificates_total() ||
                            revocations_from_ < page->revocations_total());
    }
    if (more) return request_page();
    finish("");
  });
}

void DirectorySync::finish(std::string error) {
  std::lock_guard lock(mutex_);
  refreshing_ = false;
  if (error.empty()) status_.last_complete_ms = options_.now_ms();
  status_.last_error = std::move(error);
}

DirectoryStatus DirectorySync::status() const {
  std::lock_guard lock(mutex_);
  return status_;
}

}  // namespace wq::federation

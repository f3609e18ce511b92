// AntiEntropy, asking side: pages of this node's ticket heads to the parent, and the rows the
// parent's answers say it lacks.
#include "weiquan/sync/anti_entropy.h"

#include <algorithm>
#include <cassert>
#include <chrono>
#include <map>
#include <utility>

#include "anti_entropy_core.h"
#include "proto_util.h"

namespace wq::sync {
namespace {

Error bad_reply(const std::string& why) {
  return make_error("sync.bad_anti_entropy_reply", "anti-entropy reply: " + why);
}

}  // namespace

void add_rows(std::vector<OutboxEntry>& rows, const std::string& peer, const std::string& ticket_id,
              std::uint64_t from_seq, std::uint64_t to_seq, std::int64_t at_ms) {
  for (std::uint64_t seq = from_seq; seq <= to_seq; ++seq) {
    rows.push_back({peer, ticket_id, seq, at_ms});
  }
}

bool in_range(const std::string& id, const std::string& after_id, const std::string& until_id) {
  return id > after_id && (until_id.empty() || id <= until_id);
}

bool same_head(const EventId& id, const std::string& wire) {
  return wire.size() == id.size() &&
         std::equal(id.begin(), id.end(), wire.begin(),
                    [](std::uint8_t a, char b) { return a == static_cast<std::uint8_t>(b); });
}

AntiEntropy::Core::Core(Store& owner_store, Transport& link,
                        AntiEntropyOptions anti_entropy_options, Post poster)
    : store(owner_store),
      transport(link),
      options(std::move(anti_entropy_options)),
      post(std::move(poster)) {}

std::int64_t AntiEntropy::Core::now_ms() const {
  if (options.now_ms) return options.now_ms();
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::size_t AntiEntropy::Core::page_size() const {
  return std::clamp<std::size_t>(options.page_size, 1, kMaxTicketQueryLimit);
}

void AntiEntropy::Core::post_to_owner(std::function<void(Core&)> work) {
  post([weak = weak_from_this(), work = std::move(work)] {
    if (auto core = weak.lock()) work(*core);
  });
}

void AntiEntropy::Core::diverged(const std::string& ticket_id) {
  update([&] {
    ++status.equivocations;
    status.last_diverged_ticket = ticket_id;
  });
}

void AntiEntropy::Core::send_page(const std::string& after_id) {
  TicketQuery query;
  query.after_id = after_id;
  query.limit = page_size();
  auto tickets = store.reader().tickets(query);
  if (!tickets) return finish(tickets.error().code);
  page.Clear();
  page.set_after_id(after_id);
  // A full page covers up to its last ticket; a shorter one reaches the end.
  if (tickets->size() == query.limit) page.set_until_id(tickets->back().id);
  for (const Ticket& ticket : *tickets) {
    weiquan::v1::TicketHead& head = *page.add_heads();
    head.set_ticket_id(ticket.id);
    head.set_last_seq(ticket.last_seq);
    head.set_head(ticket.head.data(), ticket.head.size());
  }
  weiquan::v1::RpcRequest request;
  request.set_version(1);
  request.set_origin(options.self);
  *request.mutable_anti_entropy() = page;
  transport.request(
      options.parent, Channel::rpc, serialize(request), options.request_timeout,
      [weak = weak_from_this()](Result<Transport::Bytes> reply) {
        const auto core = weak.lock();
        if (!core) return;
        core->post_to_owner([reply = std::move(reply)](Core& owner) { owner.on_reply(reply); });
      });
}

void AntiEntropy::Core::on_reply(Result<Transport::Bytes> reply) {
  if (!reply) return finish(reply.error().code);
  weiquan::v1::AntiEntropyReply answer;
  if (reply->size() > kMaxTransportPayload ||
      !answer.ParseFromArray(reply->data(), static_cast<int>(reply->size())) ||
      answer.version() != 1) {
    return finish(bad_reply("does not parse").code);
  }
  const std::string& covered = answer.covered_until_id();
  // The parent may stop short of the page's end, but must make progress within it.
  const bool progress = covered.empty() ? page.until_id().empty()
                                        : in_range(covered, page.after_id(), page.until_id());
  if (!progress) return finish(bad_reply("covers no range of the request").code);
  if (Status ok = settle(answer); !ok) return finish(ok.error().code);
  if (covered.empty()) return finish("");
  send_page(covered);
}

Status AntiEntropy::Core::settle(const weiquan::v1::AntiEntropyReply& reply) {
  const std::string& covered = reply.covered_until_id();
  std::map<std::string, const weiquan::v1::TicketHead*> sent;
  for (const weiquan::v1::TicketHead& head : page.heads()) {
    if (in_range(head.ticket_id(), page.after_id(), covered)) sent.emplace(head.ticket_id(), &head);
  }
  const StoreReader& reader = store.reader();
  const std::int64_t now = now_ms();
  std::vector<OutboxEntry> rows;
  for (const weiquan::v1::TicketHead& wanted : reply.wanted()) {
    if (!sent.contains(wanted.ticket_id())) continue;  // not asked about
    auto ticket = reader.ticket(wanted.ticket_id());
    if (!ticket) return ticket.error();
    if (!*ticket || (*ticket)->last_seq <= wanted.last_seq()) continue;
    if (wanted.last_seq() > 0) {
      auto event = reader.event(wanted.ticket_id(), wanted.last_seq());
      if (!event) return event.error();
      if (!*event || !same_head((*event)->id, wanted.head())) {
        diverged(wanted.ticket_id());
        continue;
      }
    }
    add_rows(rows, options.parent, wanted.ticket_id(), wanted.last_seq() + 1, (*ticket)->last_seq,
             now);
  }
  for (const weiquan::v1::TicketHead& head : reply.diverged()) {
    if (sent.contains(head.ticket_id())) diverged(head.ticket_id());
  }
  if (Status ok = store.enqueue(rows); !ok) return ok;
  update([&] {
    ++status.pages;
    status.tickets_compared += sent.size();
    status.rows_for_parent += rows.size();
  });
  return {};
}

void AntiEntropy::Core::finish(std::string error) {
  page.Clear();
  update([&] {
    status.running = false;
    if (error.empty()) {
      ++status.passes;
      status.last_complete_ms = now_ms();
    } else {
      ++status.passes_failed;
    }
    status.last_error = std::move(error);
  });
}

AntiEntropy::AntiEntropy(Store& store, Transport& transport, AntiEntropyOptions options, Post post)
    : core_(std::make_shared<Core>(store, transport, std::move(options), std::move(post))) {
  assert(core_->post);
}

AntiEntropy::~AntiEntropy() = default;

void AntiEntropy::start_pass() {
  Core& core = *core_;
  if (core.options.parent.empty()) return;
  bool running = false;
  core.update([&] {
    running = core.status.running;
    core.status.running = true;
  });
  if (!running) core.send_page("");
}

RpcServer::Handler AntiEntropy::handler() const {
  return [weak = std::weak_ptr<Core>(core_)](weiquan::v1::RpcRequest request,
                                             Transport::Respond respond) {
    const auto core = weak.lock();
    if (!core) return;
    core->post_to_owner([request = std::move(request), respond = std::move(respond)](Core& owner) {
      owner.serve(request, respond);
    });
  };
}

AntiEntropyStatus AntiEntropy::status() const {
  std::lock_guard lock(core_->mutex);
  return core_->status;
}

}  // namespace wq::sync

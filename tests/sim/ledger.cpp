#include "ledger.h"

namespace wq::sim {

Result<TicketLog*> Ledger::record(const sync::SignedEvent& event, std::size_t plan) {
  const std::string& ticket_id = event.ticket_id();
  const bool opens = event.kind() == "submitted";
  auto it = tickets_.find(ticket_id);
  const std::size_t recorded = it == tickets_.end() ? 0 : it->second.events.size();
  if (event.seq() != recorded + 1 || opens != (it == tickets_.end())) {
    return make_error("sim.not_chained", "event " + ticket_id + " seq " +
                                             std::to_string(event.seq()) + " (" +
                                             std::string(event.kind()) + ") after seq " +
                                             std::to_string(recorded) + " recorded");
  }
  if (opens) {
    it = tickets_.emplace(ticket_id, TicketLog{}).first;
    it->second.id = ticket_id;
    it->second.plan = plan;
    it->second.holders.push_back(tree_.find(event.author()));
  }
  TicketLog& log = it->second;
  const weiquan::v1::EventBody& body = event.body;
  const std::string* to_node = body.has_routed()        ? &body.routed().to_node()
                               : body.has_transferred() ? &body.transferred().to_node()
                                                        : nullptr;
  if (to_node != nullptr) {
    const std::size_t to = tree_.find(*to_node);
    if (to == tree_.size()) {
      return make_error("sim.unknown_node", ticket_id + " handed over to " + *to_node);
    }
    log.holders.push_back(to);
    log.last_handover = event.seq();
  }
  if (body.has_received()) log.last_received = event.seq();
  log.events.push_back(event.id);
  ++events_;
  digest_.update(event.id);
  return &log;
}

TicketLog* Ledger::find(const std::string& ticket_id) {
  const auto it = tickets_.find(ticket_id);
  return it == tickets_.end() ? nullptr : &it->second;
}

std::string Ledger::digest() const {
  crypto::Hasher copy = digest_;
  return crypto::to_hex(copy.finish());
}

}  // namespace wq::sim

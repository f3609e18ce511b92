#include "ticket_access.h"

namespace wq::node::http {

Access access_to(const Principal& principal, const sync::Ticket& ticket, const NodeConfig& config) {
  using policies::Role;
  switch (principal.role) {
    case Role::officer:
    case Role::supervisor:
      // A ticket in this node's store that it neither holds nor took in came here because the
      // node watches over its holder (an ancestor) or held it before: staff monitor it.
      return ticket.holder == config.node_id || ticket.intake_node == config.node_id
                 ? Access::staff
                 : Access::monitor;
    case Role::consumer:
      return !ticket.submitter.empty() && ticket.submitter == principal.account_id ? Access::filer
                                                                                   : Access::none;
    case Role::enterprise:
      return ticket.type == policies::TicketType::complaint &&
                     ticket.assignee_kind == "enterprise" && ticket.assignee == principal.uscc
                 ? Access::enterprise
                 : Access::none;
    case Role::association:
      return ticket.type == policies::TicketType::complaint &&
                     ticket.assignee_kind == "association" &&
                     ticket.assignee == principal.account_id
                 ? Access::association
                 : Access::none;
    case Role::admin:
    case Role::system:
      return Access::none;
  }
  return Access::none;
}

PersonalView personal_view(Access access, const sync::Ticket& ticket) {
  switch (access) {
    case Access::staff:
    case Access::filer:
      return PersonalView::full;
    case Access::enterprise:
    case Access::association:
      // Disclosed to a business only to mediate a complaint; a report's author never.
      return ticket.type == policies::TicketType::complaint ? PersonalView::contact
                                                            : PersonalView::none;
    case Access::monitor:
    case Access::none:
      return PersonalView::none;
  }
  return PersonalView::none;
}

}  // namespace wq::node::http

// Who may see a ticket, and how much of it. One place decides, so the queue, the ticket view,
// evidence downloads and actions cannot disagree:
//   - officers and supervisors: every ticket this node holds or took in, with the consumer's
//     personal data (they handle it); every other ticket in the node's store (it watches over the
//     holder, or held it before) without personal data, to monitor and not to act on;
//   - a consumer: the tickets they filed, with their own data;
//   - an enterprise (ODR): complaints assigned to its USCC now, with the consumer's name and phone
//     (disclosed for mediation only), never a report and never the reporter;
//   - a consumer association: complaints entrusted to its account now, with name and phone;
//   - admins manage accounts and see no tickets.
// Someone without access is told the ticket does not exist (404), so ticket ids cannot be probed.
//
// Thread safety: pure functions.
#pragma once

#include <string_view>

#include "weiquan/node/accounts.h"
#include "weiquan/node/node_dir.h"
#include "weiquan/sync/store.h"

namespace wq::node::http {

enum class Access {
  none,
  staff,        // officer or supervisor of this office
  monitor,      // officer or supervisor of an office that watches over the ticket's holder
  filer,        // the consumer who filed it
  enterprise,   // the business's ODR account it is assigned to
  association,  // the consumer association it is entrusted to
};

Access access_to(const Principal& principal, const sync::Ticket& ticket, const NodeConfig& config);

enum class PersonalView { none, contact, full };  // contact: name and phone only

PersonalView personal_view(Access access, const sync::Ticket& ticket);

}  // namespace wq::node::http

#include "enums.h"

namespace wq::sync {

std::optional<crypto::Level> from_wire(weiquan::v1::Level level) {
  switch (level) {
    case weiquan::v1::LEVEL_NATIONAL:
      return crypto::Level::national;
    case weiquan::v1::LEVEL_PROVINCE:
      return crypto::Level::province;
    case weiquan::v1::LEVEL_CITY:
      return crypto::Level::city;
    case weiquan::v1::LEVEL_COUNTY:
      return crypto::Level::county;
    case weiquan::v1::LEVEL_STATION:
      return crypto::Level::station;
    default:
      return std::nullopt;
  }
}

weiquan::v1::Level to_wire(crypto::Level level) {
  switch (level) {
    case crypto::Level::national:
      return weiquan::v1::LEVEL_NATIONAL;
    case crypto::Level::province:
      return weiquan::v1::LEVEL_PROVINCE;
    case crypto::Level::city:
      return weiquan::v1::LEVEL_CITY;
    case crypto::Level::county:
      return weiquan::v1::LEVEL_COUNTY;
    case crypto::Level::station:
      return weiquan::v1::LEVEL_STATION;
  }
  return weiquan::v1::LEVEL_UNSPECIFIED;
}

std::optional<policies::TicketType> from_wire(weiquan::v1::TicketType type) {
  switch (type) {
    case weiquan::v1::TICKET_TYPE_COMPLAINT:
      return policies::TicketType::complaint;
    case weiquan::v1::TICKET_TYPE_REPORT:
      return policies::TicketType::report;
    case weiquan::v1::TICKET_TYPE_INQUIRY:
      return policies::TicketType::inquiry;
    case weiquan::v1::TICKET_TYPE_SUGGESTION:
      return policies::TicketType::suggestion;
    default:
      return std::nullopt;
  }
}

std::string_view assignee_kind_name(weiquan::v1::AssigneeKind kind) {
  switch (kind) {
    case weiquan::v1::ASSIGNEE_KIND_STATION:
      return "station";
    case weiquan::v1::ASSIGNEE_KIND_OFFICER:
      return "officer";
    case weiquan::v1::ASSIGNEE_KIND_ENTERPRISE:
      return "enterprise";
    case weiquan::v1::ASSIGNEE_KIND_ASSOCIATION:
      return "association";
    default:
      return {};
  }
}

std::optional<policies::Role> from_wire(weiquan::v1::Role role) {
  switch (role) {
    case weiquan::v1::ROLE_CONSUMER:
      return policies::Role::consumer;
    case weiquan::v1::ROLE_OFFICER:
      return policies::Role::officer;
    case weiquan::v1::ROLE_SUPERVISOR:
      return policies::Role::supervisor;
    case weiquan::v1::ROLE_ENTERPRISE:
      return policies::Role::enterprise;
    case weiquan::v1::ROLE_ASSOCIATION:
      return policies::Role::association;
    case weiquan::v1::ROLE_ADMIN:
      return policies::Role::admin;
    case weiquan::v1::ROLE_SYSTEM:
      return policies::Role::system;
    default:
      return std::nullopt;
  }
}

}  // namespace wq::sync

// Ticket ids: readable, globally unique and printable in an SMS.
//
//   <intake node id>-<YYYYMMDD>-<serial>      e.g. "440305-20261122-000123", "cn-20261122-000001"
//
// The intake node is the node that wrote the ticket's first event (it must equal that event's
// author), the date is the receipt date in China Standard Time (UTC+8), and the serial counts the
// tickets the intake node opened that day from 1, written with at least 6 digits (more once it
// passes 999999, at most 9). Only ASCII digits, lower-case letters of "cn" and '-' occur, at most
// 34 characters. Uniqueness follows from node ids being unique and each node counting its own
// serials.
//
// Thread safety: pure functions. Failure code: sync.bad_ticket_id.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "weiquan/result.h"

namespace wq::sync {

inline constexpr std::size_t kMaxTicketIdLength = 31;
inline constexpr std::uint32_t kMaxTicketSerial = 999'999'999;

struct TicketId {
  std::string intake_node;
  std::uint32_t date = 0;  // YYYYMMDD
  std::uint32_t serial = 0;
};

std::string format_ticket_id(const TicketId& id);
Result<TicketId> parse_ticket_id(std::string_view text);

// The calendar date (YYYYMMDD) of a Unix millisecond time in China Standard Time.
std::uint32_t china_date(std::int64_t unix_ms);

}  // namespace wq::sync

// Amounts of money, in fen (1 yuan = 100 fen).

#include "validation_util.h"
#include "weiquan/policies/validation.h"
#include "wording.h"

namespace wq::policies {
namespace {

constexpr std::int64_t kFenPerYuan = 100;

Error invalid(const std::string& message) {
  return make_error("policies.invalid_amount", "amount: " + message);
}

std::string limit_text() {
  return format_amount_yuan(kMaxAmountFen) + " yuan";
}

}  // namespace

Status check_amount_fen(std::int64_t fen) {
  if (fen < 0) return invalid("must not be negative");
  if (fen > kMaxAmountFen) return invalid("more than the limit of " + limit_text());
  return {};
}

Result<std::int64_t> parse_amount_yuan(std::string_view yuan) {
  const std::size_t point = yuan.find('.');
  const std::string_view whole = yuan.substr(0, point);
  const std::string_view fraction =
      point == std::string_view::npos ? std::string_view{} : yuan.substr(point + 1);
  if (yuan.starts_with('-')) return invalid("must not be negative");
  if (!detail::all_digits(whole) ||
      (point != std::string_view::npos && !detail::all_digits(fraction))) {
    return invalid(detail::in_quotes(yuan) + " is not an amount in yuan such as 199 or 199.50");
  }
  if (fraction.size() > 2) {
    return invalid(detail::in_quotes(yuan) +
                   " has more than 2 decimals (1 fen is the smallest unit)");
  }
  std::int64_t fen = 0;
  for (char c : whole) {
    fen = fen * 10 + (c - '0') * kFenPerYuan;
    if (fen > kMaxAmountFen) break;  // reported below; stops before any overflow
  }
  std::int64_t scale = kFenPerYuan / 10;
  for (char c : fraction) {
    fen += (c - '0') * scale;
    scale /= 10;
  }
  if (auto checked = check_amount_fen(fen); !checked.ok()) return checked.error();
  return fen;
}

std::string format_amount_yuan(std::int64_t fen) {
  const bool negative = fen < 0;
  const std::uint64_t magnitude =
      negative ? 0 - static_cast<std::uint64_t>(fen) : static_cast<std::uint64_t>(fen);
  std::string cents = std::to_string(magnitude % 100);
  if (cents.size() < 2) cents.insert(0, "0");
  return (negative ? "-" : "") + std::to_string(magnitude / 100) + "." + cents;
}

}  // namespace wq::policies

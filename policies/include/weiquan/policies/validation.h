// Checks of the values people type into a ticket, each failing with a code a caller can map to a
// form field and a message that tells the person what to correct.
//
// Unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from 0-9 and A-Z
// without I, O, Z, S, V. Position 1 is the registration authority (9 = market regulation), 2 the
// institution type, 3-8 the region code of the registering authority (a real province, or 100000
// for a central authority), 9-17 the organization code (GB 11714, with its own check character),
// 18 the check character (weights 3^i mod 31).
//
// Resident identity number (公民身份号码, GB 11643-1999): 6-digit region code of first
// registration, birth date YYYYMMDD, 3-digit sequence, check character 0-9 or X (ISO 7064
// MOD 11-2). Codes of counties that no longer exist stay valid, so only the province is checked;
// the residence permits of Hong Kong, Macao and Taiwan residents (810000, 820000, 830000) and the
// foreigner's permanent residence identity card ("9" and a province code) share the format.
//
// Phone numbers: mainland mobile 1[3-9] and 9 more digits (optionally +86); fixed lines with their
// area code (010 and 02x with 8 digits, other 0xxx with 7 or 8), optionally "-" after the area
// code; 400/800 service numbers.
//
// Amounts: integer fen, 0 up to kMaxAmountFen; yuan strings with at most 2 decimals are parsed
// exactly, without floating point.
//
// Times: RFC 3339 / ISO 8601 with an offset ("2024-03-15T09:30:00+08:00", "...Z"), between
// 2004-01-01 (China time, the first year of the holiday calendar) and one day after now.
//
// Text: valid UTF-8 (no overlong forms, surrogates, or code points above U+10FFFF), at most a given
// number of characters (code points), no control characters but line feed and tab (and none at all
// in single-line text).
//
// Thread safety: pure functions.
// Failure codes: policies.invalid_uscc, policies.invalid_id_number (both also when the region part
// names no province), policies.invalid_phone, policies.invalid_amount, policies.invalid_date,
// policies.invalid_utf8, policies.invalid_text (control characters), policies.text_too_long.
// Region codes themselves are checked by RegionTable::lookup (regions.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "weiquan/policies/regions.h"

namespace wq::policies {

// --- Unified social credit code ----------------------------------------------------------------

struct Uscc {
  char authority = 0;         // position 1, e.g. '9' market regulation, '5' civil affairs
  char institution_type = 0;  // position 2, e.g. '1' enterprise, '2' individual business
  std::string region;         // positions 3-8
  std::string organization;   // positions 9-17
};

Result<Uscc> parse_uscc(std::string_view code, const RegionTable& regions = RegionTable::builtin());

// The check character for the first 17 characters of a code.
Result<char> uscc_check_character(std::string_view first17);

// --- Resident identity number -------------------------------------------------------------------

// `now_ms` (Unix milliseconds) bounds the birth date, which may not lie after today in China.
Status check_id_number(std::string_view number, std::int64_t now_ms,
                       const RegionTable& regions = RegionTable::builtin());

// The check character for the first 17 digits of a number.
Result<char> id_check_character(std::string_view first17);

// --- Phone numbers ------------------------------------------------------------------------------

enum class PhoneKind { mobile, fixed_line, service };

struct Phone {
  PhoneKind kind = PhoneKind::mobile;
  // Digits only, the fixed-line area code separated by '-': "13812345678", "010-62345678".
  std::string normalized;
};

Result<Phone> parse_phone(std::string_view text);

// --- Amounts ------------------------------------------------------------------------------------

// 100 billion yuan.
inline constexpr std::int64_t kMaxAmountFen = 10'000'000'000'000;

Status check_amount_fen(std::int64_t fen);
// "1234", "1234.5", "1234.56" yuan -> fen.
Result<std::int64_t> parse_amount_yuan(std::string_view yuan);
// 123456 -> "1234.56".
std::string format_amount_yuan(std::int64_t fen);

// --- Times --------------------------------------------------------------------------------------

// 2004-01-01T00:00:00+08:00.
inline constexpr std::int64_t kEarliestTimeMs = 1'072'886'400'000;
inline constexpr std::int64_t kFutureToleranceMs = 24 * 60 * 60 * 1000;

Status check_time_ms(std::int64_t time_ms, std::int64_t now_ms);
// -> Unix milliseconds; fractions of a millisecond are dropped.
Result<std::int64_t> parse_time(std::string_view text, std::int64_t now_ms);
// Unix milliseconds -> China time, "2024-03-15T09:30:00.000+08:00"; parse_time reads it back.
std::string format_time(std::int64_t unix_ms);

// --- Text ---------------------------------------------------------------------------------------

enum class TextLines { single, multiple };

// The number of characters (code points) of valid UTF-8.
Result<std::size_t> count_characters(std::string_view utf8);

Status check_text(std::string_view text, std::size_t max_characters,
                  TextLines lines = TextLines::multiple);

}  // namespace wq::policies

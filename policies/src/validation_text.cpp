// Free text: UTF-8, length in characters, control characters.
#include <cstdio>

#include "weiquan/policies/validation.h"

namespace wq::policies {
namespace {

std::string code_point_name(char32_t cp) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "U+%04X", static_cast<unsigned>(cp));
  return buffer;
}

Error bad_utf8(std::size_t offset, const std::string& what) {
  return make_error("policies.invalid_utf8", "the text is not valid UTF-8 at byte " +
                                                 std::to_string(offset) + ": " + what +
                                                 "; save or send it as UTF-8");
}

struct Decoded {
  char32_t code_point = 0;
  std::size_t length = 0;
};

// Decodes the UTF-8 sequence at text[at] (RFC 3629: shortest form only, no surrogates, nothing
// above U+10FFFF).
Result<Decoded> decode(std::string_view text, std::size_t at) {
  const auto lead = static_cast<unsigned char>(text[at]);
  if (lead < 0x80) return Decoded{lead, 1};
  std::size_t length = 0;
  char32_t cp = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    cp = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    cp = lead & 0x0F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    cp = lead & 0x07;
  } else if (lead == 0xC0 || lead == 0xC1) {
    return bad_utf8(at, "overlong encoding");
  } else if (lead >= 0x80 && lead <= 0xBF) {
    return bad_utf8(at, "continuation byte without a leading byte");
  } else {
    char byte[8];
    std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned>(lead));
    return bad_utf8(at, "byte " + std::string(byte) + " never occurs in UTF-8");
  }
  if (at + length > text.size()) return bad_utf8(at, "sequence cut short");
  for (std::size_t i = 1; i < length; ++i) {
    const auto next = static_cast<unsigned char>(text[at + i]);
    if ((next & 0xC0) != 0x80) return bad_utf8(at, "sequence cut short");
    cp = (cp << 6) | (next & 0x3F);
  }
  if ((length == 3 && cp < 0x800) || (length == 4 && cp < 0x10000)) {
    return bad_utf8(at, "overlong encoding");
  }
  if (cp >= 0xD800 && cp <= 0xDFFF) return bad_utf8(at, "encoded surrogate " + code_point_name(cp));
  if (cp > 0x10FFFF) return bad_utf8(at, "code point above U+10FFFF");
  return Decoded{cp, length};
}

bool is_control(char32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

// Calls visit(code point, 0-based character index) for each character while it succeeds; returns
// the number of characters.
template <class Visit>
Result<std::size_t> walk(std::string_view text, Visit visit) {
  std::size_t characters = 0;
  for (std::size_t at = 0; at < text.size(); ++characters) {
    const auto decoded = decode(text, at);
    if (!decoded.ok()) return decoded.error();
    if (Status visited = visit(decoded.value().code_point, characters); !visited.ok()) {
      return visited.error();
    }
    at += decoded.value().length;
  }
  return characters;
}

}  // namespace

Result<std::size_t> count_characters(std::string_view utf8) {
  return walk(utf8, [](char32_t, std::size_t) { return Status{}; });
}

Status check_text(std::string_view text, std::size_t max_characters, TextLines lines) {
  const auto characters = walk(text, [&](char32_t cp, std::size_t index) -> Status {
    const bool allowed = lines == TextLines::multiple && (cp == '\n' || cp == '\t');
    if (!is_control(cp) || allowed) return {};
    return make_error("policies.invalid_text",
                      "the text contains the control character " + code_point_name(cp) +
                          " at character " + std::to_string(index + 1) +
                          (lines == TextLines::multiple ? "; only line feeds and tabs are allowed"
                                                        : "; this field is a single line of text"));
  });
  if (!characters.ok()) return characters.error();
  if (characters.value() > max_characters) {
    return make_error("policies.text_too_long",
                      "the text has " + std::to_string(characters.value()) +
                          " characters; at most " + std::to_string(max_characters) +
                          " are allowed");
  }
  return {};
}

}  // namespace wq::policies

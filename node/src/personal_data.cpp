#include <nlohmann/json.hpp>

#include "weiquan/node/accounts.h"

namespace wq::node {
namespace {

using json = nlohmann::json;

constexpr std::size_t kMaxPersonalDataBytes = 64 * 1024;

Error bad(const std::string& what) {
  return make_error("node.bad_personal_data", "sealed personal data: " + what);
}

}  // namespace

std::string encode_personal_data(const PersonalData& person) {
  const json doc = {{"name", person.name},
                    {"id_number", person.id_number},
                    {"phone", person.phone},
                    {"address", person.address}};
  return doc.dump();
}

Result<PersonalData> decode_personal_data(std::string_view text) {
  if (text.size() > kMaxPersonalDataBytes) return bad("larger than 64 KiB");
  const json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return bad("not a JSON object");
  PersonalData person;
  const std::pair<const char*, std::string*> members[] = {{"name", &person.name},
                                                          {"id_number", &person.id_number},
                                                          {"phone", &person.phone},
                                                          {"address", &person.address}};
  for (const auto& [name, field] : members) {
    const auto it = doc.find(name);
    if (it == doc.end() || !it->is_string()) {
      return bad("\"" + std::string(name) + "\" must be a string");
    }
    *field = it->get<std::string>();
  }
  if (doc.size() != std::size(members)) return bad("unknown members");
  return person;
}

}  // namespace wq::node

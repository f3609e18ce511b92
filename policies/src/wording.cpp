#include "wording.h"

namespace wq::policies::detail {

std::string in_quotes(std::string_view name) {
  return "'" + std::string(name) + "'";
}

std::string one_of(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    out += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
  }
  return out;
}

}  // namespace wq::policies::detail

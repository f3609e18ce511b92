// Reading policy documents from JSON (the format is described in docs/policies.md).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "json_reader.h"
#include "weiquan/policies/policy_document.h"

namespace wq::policies::detail {

// Parses JSON text without throwing (policies.bad_document on a syntax error).
Result<nlohmann::json> parse_json(std::string_view text);

// Reads one document found at `path`; problems go to `reader`, which keeps the first one only
// (JsonReader::Mode::first_problem): once there is a problem the checks of values are skipped.
PolicyDocument read_document(JsonReader& reader, const nlohmann::json& value,
                             const std::string& path);

}  // namespace wq::policies::detail

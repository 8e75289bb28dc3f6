// Reads RFC 5424 STRUCTURED-DATA ("[id p=\"v\"][id2 ...]") into elements and parameters, so
// the JSON output can give `log.syslog.structured_data` as the object ECS defines, not a
// string. Values are unescaped (\" \\ \] become " \ ]); a backslash before any other character
// stays, as RFC 5424 §6.3.3 says.
//
//   std::optional<std::vector<SdElement>> sd =
//   ParseStructuredData(r.Field(r.header.structured_data));
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kiroku::query::internal {

struct SdElement {
  std::string_view id;
  std::vector<std::pair<std::string_view, std::string>> params;  // in order; names may repeat
};

// nullopt when `text` is not well-formed STRUCTURED-DATA ("-" and "" give an empty list).
std::optional<std::vector<SdElement>> ParseStructuredData(std::string_view text);

}  // namespace kiroku::query::internal

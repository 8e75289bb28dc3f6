#include "query/internal/structured_data.h"

namespace kiroku::query::internal {
namespace {

// SD-NAME: 1 to 32 printable US-ASCII characters except '=', SP, ']' and '"'.
std::optional<std::string_view> ReadName(std::string_view s, size_t* i) {
  size_t start = *i;
  while (*i < s.size()) {
    char c = s[*i];
    if (c <= ' ' || c > '~' || c == '=' || c == ']' || c == '"') break;
    ++*i;
  }
  size_t n = *i - start;
  if (n == 0 || n > 32) return std::nullopt;
  return s.substr(start, n);
}

}  // namespace

std::optional<std::vector<SdElement>> ParseStructuredData(std::string_view s) {
  std::vector<SdElement> out;
  if (s.empty() || s == "-") return out;
  size_t i = 0;
  while (i < s.size()) {
    if (s[i++] != '[') return std::nullopt;
    SdElement e;
    std::optional<std::string_view> id = ReadName(s, &i);
    if (!id) return std::nullopt;
    e.id = *id;
    while (i < s.size() && s[i] == ' ') {
      ++i;
      std::optional<std::string_view> name = ReadName(s, &i);
      if (!name || i + 1 >= s.size() || s[i] != '=' || s[i + 1] != '"') return std::nullopt;
      i += 2;
      std::string value;
      for (;;) {
        if (i >= s.size()) return std::nullopt;
        char c = s[i++];
        if (c == '"') break;
        if (c == '\\' && i < s.size() && (s[i] == '"' || s[i] == '\\' || s[i] == ']')) {
          c = s[i++];
        }
        value.push_back(c);
      }
      e.params.emplace_back(*name, std::move(value));
    }
    if (i >= s.size() || s[i++] != ']') return std::nullopt;
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace kiroku::query::internal

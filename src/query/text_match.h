// How a search word or phrase matches tokenized text (see tokenizer.h for what a token is).
//
// A single term matches a token when it equals the whole token or a run of whole parts of it,
// joiners included: "10.1.2.3" matches the token 10.1.2.3:443, "example.com" and "alice" match
// alice@example.com, but "10.1.2" does not match 10.1.2.30 and "exam" does not match example.
// A phrase of n terms matches n consecutive tokens: the first term a trailing run of parts of
// the first token, the middle terms whole tokens, the last term a leading run of parts of the
// last token. Separators between tokens (spaces, '=', '/', quotes, ...) are ignored, so the
// phrase "user root" matches "user=root" and "user: root". A trailing '*' turns the last term
// into a prefix that must start at a part boundary: "adm*" matches admin@example.com and
// sys.admin.
//
//   TextPattern p{.terms = TokenizeFolded("failed password")};
//   bool hit = MatchesText("Failed password for root", p);
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kiroku::query {

struct TextPattern {
  std::vector<std::string> terms;  // lower-cased (ASCII), from TokenizeFolded; never empty
  bool last_is_prefix = false;     // the last term is a prefix (written with a trailing '*')
  friend bool operator==(const TextPattern&, const TextPattern&) = default;
};

// REQUIRES: !pattern.terms.empty()
bool MatchesText(std::string_view text, const TextPattern& pattern);

// ASCII case-insensitive equality; `folded` must already be lower case.
bool EqualsFolded(std::string_view text, std::string_view folded);
bool StartsWithFolded(std::string_view text, std::string_view folded_prefix);

}  // namespace kiroku::query

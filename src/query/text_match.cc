#include "query/text_match.h"

#include "query/tokenizer.h"

namespace kiroku::query {
namespace {

// Positions where a run of parts may start or end: the token's edges and next to a joiner.
bool StartsPart(std::string_view token, size_t i) { return i == 0 || IsJoiner(token[i - 1]); }
bool EndsPart(std::string_view token, size_t i) { return i == token.size() || IsJoiner(token[i]); }

bool ContainsPartRun(std::string_view token, std::string_view term) {
  if (term.size() > token.size()) return false;
  for (size_t s = 0; s + term.size() <= token.size(); ++s) {
    if (StartsPart(token, s) && EndsPart(token, s + term.size()) &&
        EqualsFolded(token.substr(s, term.size()), term)) {
      return true;
    }
  }
  return false;
}

bool ContainsPartPrefix(std::string_view token, std::string_view prefix) {
  if (prefix.size() > token.size()) return false;
  for (size_t s = 0; s + prefix.size() <= token.size(); ++s) {
    if (StartsPart(token, s) && EqualsFolded(token.substr(s, prefix.size()), prefix)) return true;
  }
  return false;
}

bool EndsWithPartRun(std::string_view token, std::string_view term) {
  if (term.size() > token.size()) return false;
  size_t s = token.size() - term.size();
  return StartsPart(token, s) && EqualsFolded(token.substr(s), term);
}

bool StartsWithPartRun(std::string_view token, std::string_view term) {
  return term.size() <= token.size() && EndsPart(token, term.size()) &&
         EqualsFolded(token.substr(0, term.size()), term);
}

// Does the phrase continue in the tokens `rest` produces, from its second term on?
bool MatchesRest(Tokenizer rest, const TextPattern& p) {
  const size_t n = p.terms.size();
  std::string_view token;
  for (size_t j = 1; j < n; ++j) {
    if (!rest.Next(&token)) return false;
    const std::string& term = p.terms[j];
    if (j + 1 < n) {
      if (!EqualsFolded(token, term)) return false;
    } else if (p.last_is_prefix) {
      if (!StartsWithFolded(token, term)) return false;
    } else if (!StartsWithPartRun(token, term)) {
      return false;
    }
  }
  return true;
}

// Whether `folded` (lower-case ASCII) occurs in `text` ignoring ASCII case. Every way a pattern
// can match compares its first term with a stretch of the text by EqualsFolded, so this is a
// necessary condition, and a byte scan is far cheaper than tokenising records that cannot match.
bool ContainsFolded(std::string_view text, std::string_view folded) {
  if (folded.empty()) return true;
  if (folded.size() > text.size()) return false;
  const char first = folded[0];
  const size_t last = text.size() - folded.size();
  for (size_t i = 0; i <= last; ++i) {
    if (FoldAscii(text[i]) == first && EqualsFolded(text.substr(i, folded.size()), folded)) {
      return true;
    }
  }
  return false;
}

}  // namespace

bool EqualsFolded(std::string_view text, std::string_view folded) {
  if (text.size() != folded.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (FoldAscii(text[i]) != folded[i]) return false;
  }
  return true;
}

bool StartsWithFolded(std::string_view text, std::string_view folded_prefix) {
  return text.size() >= folded_prefix.size() &&
         EqualsFolded(text.substr(0, folded_prefix.size()), folded_prefix);
}

bool MatchesText(std::string_view text, const TextPattern& p) {
  if (!ContainsFolded(text, p.terms[0])) return false;
  Tokenizer tokens(text);
  std::string_view token;
  if (p.terms.size() == 1) {
    while (tokens.Next(&token)) {
      if (p.last_is_prefix ? ContainsPartPrefix(token, p.terms[0])
                           : ContainsPartRun(token, p.terms[0])) {
        return true;
      }
    }
    return false;
  }
  while (tokens.Next(&token)) {
    if (EndsWithPartRun(token, p.terms[0]) && MatchesRest(tokens, p)) return true;
  }
  return false;
}

}  // namespace kiroku::query

// How free text (message, structured data, the raw line) is cut into tokens for searching.
//
// Word characters are ASCII letters and digits and every byte >= 0x80 (so UTF-8 letters of any
// script stay inside words). Joiners are . - _ @ : — they join word characters into one token
// so that IP addresses (10.1.2.3, 2001:db8::1), host names (web01.example.com), e-mail
// addresses (alice@example.com) and identifiers (pam_unix, SEC-6-IPACCESSLOGP) stay whole.
// Everything else separates tokens. A token is a maximal run of word characters and joiners
// with its leading and trailing joiners removed ("closed." gives "closed", "::1" gives "1").
// The word-character runs inside a token are its parts: 10.1.2.3:443 has parts 10, 1, 2, 3, 443.
//
// The query side cuts search words with the same function, so both sides always agree. The term
// index (index/) must use this tokenizer too.
//
//   Tokenizer t("Failed password for root from 10.1.2.3 port 22");
//   for (std::string_view tok; t.Next(&tok);) { ... }
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kiroku::query {

inline bool IsWordByte(char c) {
  auto b = static_cast<unsigned char>(c);
  return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || b >= 0x80;
}

inline bool IsJoiner(char c) { return c == '.' || c == '-' || c == '_' || c == '@' || c == ':'; }

// ASCII-only lower case: bytes >= 0x80 are compared exactly (no Unicode case folding).
inline char FoldAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

// Cheap to copy: a copy continues from the same position (phrase matching relies on that).
class Tokenizer {
 public:
  explicit Tokenizer(std::string_view text) : text_(text) {}
  // Stores the next token (a view into the text) and returns true; false at the end.
  bool Next(std::string_view* token);
  // Byte offset just past the last token returned.
  size_t position() const { return pos_; }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

// All tokens of `text`, lower-cased: how the query side turns a search word into terms.
std::vector<std::string> TokenizeFolded(std::string_view text);

std::string FoldAsciiString(std::string_view s);

}  // namespace kiroku::query

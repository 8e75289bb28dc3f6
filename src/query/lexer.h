// Cuts a query string into tokens for the parser (parser.h has the grammar).
//
// Words are read differently depending on where the parser is, so the parser says which mode it
// wants for each token:
//   kTop    outside field values: `name:` becomes a kField token, and < > end a word (so
//           `severity<=3` needs no spaces);
//   kValue  field values and `field:( ... )` groups: ':' < > are ordinary characters (IPv6,
//           times, host:port), and [ { < > at the start of a token open a range or comparison;
//   kRange  inside [a TO b]: ] and } end a word too.
// A backslash makes the next character literal; inside quotes too. An unescaped '*' is allowed
// only at the end of a word, where it marks a prefix.
//
//   Lexer lex(query);
//   Token t = lex.Next(Lexer::Mode::kTop);
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace kiroku::query {

struct Token {
  enum class Kind {
    kEnd,
    kError,   // text is the message; offset is where the problem is
    kWord,    // text is unescaped; wildcard when it ended in an unescaped '*'
    kPhrase,  // a quoted string, unescaped
    kField,   // `name:`; text is the name
    kLParen,
    kRParen,
    kRangeOpen,   // [ or {
    kRangeClose,  // ] or }
    kCompare,     // < <= > >=
    kAnd,
    kOr,
    kNot,
  };
  Kind kind = Kind::kEnd;
  std::string text;
  size_t offset = 0;      // byte offset of the token's first character
  bool wildcard = false;  // kWord only
  bool inclusive = true;  // kRangeOpen / kRangeClose: [ ] rather than { }
};

class Lexer {
 public:
  enum class Mode { kTop, kValue, kRange };

  explicit Lexer(std::string_view input) : in_(input) {}
  Token Next(Mode mode);
  Token Peek(Mode mode);
  // Byte offset of the next unread character (after skipping nothing).
  size_t offset() const { return pos_; }

 private:
  Token ReadPhrase();
  Token ReadWord(Mode mode);

  std::string_view in_;
  size_t pos_ = 0;
};

// 1-based column of byte `offset`, counted in characters (UTF-8 continuation bytes do not
// count), so the column is right for queries with non-ASCII words.
size_t ColumnOf(std::string_view input, size_t offset);

}  // namespace kiroku::query

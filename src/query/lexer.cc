#include "query/lexer.h"

#include "query/ip_address.h"

namespace kiroku::query {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool IsFieldStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '@';
}
bool IsFieldChar(char c) {
  return IsFieldStart(c) || (c >= '0' && c <= '9') || c == '.' || c == '-';
}

// Characters that end a word in the given mode (besides white space).
bool EndsWord(char c, Lexer::Mode mode) {
  if (c == '(' || c == ')' || c == '"') return true;
  switch (mode) {
    case Lexer::Mode::kTop:
      return c == '<' || c == '>';
    case Lexer::Mode::kValue:
      return false;
    case Lexer::Mode::kRange:
      return c == ']' || c == '}';
  }
  return false;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    if (x >= 'a' && x <= 'z') x = static_cast<char>(x - 32);
    if (x != b[i]) return false;
  }
  return true;
}

bool LooksLikeIp(std::string_view rest, Lexer::Mode mode) {
  size_t end = 0;
  while (end < rest.size() && !IsSpace(rest[end]) && !EndsWord(rest[end], mode)) ++end;
  std::string_view word = rest.substr(0, end);
  return ParseIpAddress(word).has_value() || ParseIpPrefix(word).has_value();
}

Token Make(Token::Kind kind, size_t offset, std::string text = {}) {
  Token t;
  t.kind = kind;
  t.offset = offset;
  t.text = std::move(text);
  return t;
}

Token Error(size_t offset, std::string message) {
  return Make(Token::Kind::kError, offset, std::move(message));
}

}  // namespace

size_t ColumnOf(std::string_view input, size_t offset) {
  size_t col = 1;
  for (size_t i = 0; i < offset && i < input.size(); ++i) {
    if ((static_cast<unsigned char>(input[i]) & 0xC0) != 0x80) ++col;
  }
  return col;
}

Token Lexer::Peek(Mode mode) {
  size_t saved = pos_;
  Token t = Next(mode);
  pos_ = saved;
  return t;
}

Token Lexer::Next(Mode mode) {
  while (pos_ < in_.size() && IsSpace(in_[pos_])) ++pos_;
  size_t start = pos_;
  if (pos_ >= in_.size()) return Make(Token::Kind::kEnd, start);
  char c = in_[pos_];
  switch (c) {
    case '(':
      ++pos_;
      return Make(Token::Kind::kLParen, start);
    case ')':
      ++pos_;
      return Make(Token::Kind::kRParen, start);
    case '"':
      return ReadPhrase();
    default:
      break;
  }
  if ((c == '<' || c == '>') && mode != Mode::kRange) {
    ++pos_;
    std::string op(1, c);
    if (pos_ < in_.size() && in_[pos_] == '=') {
      op.push_back('=');
      ++pos_;
    }
    return Make(Token::Kind::kCompare, start, op);
  }
  if ((c == '[' || c == '{') && mode == Mode::kValue) {
    ++pos_;
    Token t = Make(Token::Kind::kRangeOpen, start);
    t.inclusive = c == '[';
    return t;
  }
  if ((c == ']' || c == '}') && mode == Mode::kRange) {
    ++pos_;
    Token t = Make(Token::Kind::kRangeClose, start);
    t.inclusive = c == ']';
    return t;
  }
  return ReadWord(mode);
}

Token Lexer::ReadPhrase() {
  size_t start = pos_++;
  std::string text;
  while (pos_ < in_.size()) {
    char c = in_[pos_++];
    if (c == '"') return Make(Token::Kind::kPhrase, start, std::move(text));
    if (c == '\\') {
      if (pos_ >= in_.size()) break;
      c = in_[pos_++];
    }
    text.push_back(c);
  }
  return Error(start, "unterminated quote");
}

Token Lexer::ReadWord(Mode mode) {
  size_t start = pos_;
  std::string text;
  bool escaped = false;  // any backslash: then the word is never an operator or a field
  bool wildcard = false;
  size_t star_at = 0;
  while (pos_ < in_.size()) {
    char c = in_[pos_];
    if (IsSpace(c) || EndsWord(c, mode)) break;
    if (wildcard) return Error(star_at, "'*' is only allowed at the end of a word");
    if (c == '\\') {
      if (pos_ + 1 >= in_.size()) return Error(pos_, "'\\' at the end of the query");
      text.push_back(in_[pos_ + 1]);
      pos_ += 2;
      escaped = true;
      continue;
    }
    if (c == '*') {
      wildcard = true;
      star_at = pos_++;
      continue;
    }
    // `name:` at the top level is a field; the value is read by the next call, in kValue mode.
    if (c == ':' && mode == Mode::kTop && !escaped && !text.empty() && IsFieldStart(text[0])) {
      bool field_like = true;
      for (char f : text) field_like = field_like && IsFieldChar(f);
      // A bare IPv6 address such as fe80::1 looks like `fe80:` followed by a value.
      if (field_like && !LooksLikeIp(in_.substr(start), mode)) {
        ++pos_;
        return Make(Token::Kind::kField, start, std::move(text));
      }
    }
    text.push_back(c);
    ++pos_;
  }
  if (!escaped && !wildcard) {
    // The text is kept: right after `field:` an operator word is an ordinary value.
    if (EqualsIgnoreCase(text, "AND")) {
      return Make(Token::Kind::kAnd, start, std::move(text));
    }
    if (EqualsIgnoreCase(text, "OR")) {
      return Make(Token::Kind::kOr, start, std::move(text));
    }
    if (EqualsIgnoreCase(text, "NOT")) {
      return Make(Token::Kind::kNot, start, std::move(text));
    }
  }
  Token t = Make(Token::Kind::kWord, start, std::move(text));
  t.wildcard = wildcard;
  return t;
}

}  // namespace kiroku::query

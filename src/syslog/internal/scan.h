// Byte-level helpers shared by the header parsers. Every reader takes the input and a position,
// checks bounds itself, and never reads past s.size(): the parsers run on untrusted bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/record.h"

namespace kiroku::syslog::internal {

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
inline bool IsAlpha(char c) { return IsUpper(static_cast<char>(c & ~0x20)); }

inline bool At(std::string_view s, size_t pos, char c) { return pos < s.size() && s[pos] == c; }

// The value of exactly `n` decimal digits at s[pos], or -1 if they are not all there.
inline int ReadDigits(std::string_view s, size_t pos, int n) {
  if (pos + n > s.size()) {
    return -1;
  }
  int v = 0;
  for (int i = 0; i < n; ++i) {
    const char c = s[pos + i];
    if (!IsDigit(c)) {
      return -1;
    }
    v = v * 10 + (c - '0');
  }
  return v;
}

// Index of the first ' ' at or after pos, or s.size().
// Header tokens are short, so a plain loop beats a memchr call.
inline size_t TokenEnd(std::string_view s, size_t pos) {
  while (pos < s.size() && s[pos] != ' ') {
    ++pos;
  }
  return pos;
}

inline size_t SkipSpaces(std::string_view s, size_t pos) {
  while (pos < s.size() && s[pos] == ' ') {
    ++pos;
  }
  return pos;
}

// Spans are 32-bit; ParseSyslog never looks past the first 4 GiB, so the casts cannot truncate.
// Empty ranges become Span{} so that "absent" has a single representation.
inline Span MakeSpan(size_t begin, size_t end) {
  if (end <= begin) {
    return Span{};
  }
  return Span{static_cast<uint32_t>(begin), static_cast<uint32_t>(end - begin)};
}

// The message starts at pos; a UTF-8 BOM there only says how MSG is encoded (RFC 5424 6.4).
inline Span MsgSpan(std::string_view s, size_t pos) {
  if (pos + 3 <= s.size() && s[pos] == '\xEF' && s[pos + 1] == '\xBB' && s[pos + 2] == '\xBF') {
    pos += 3;
  }
  return MakeSpan(pos, s.size());
}

}  // namespace kiroku::syslog::internal

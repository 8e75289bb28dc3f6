// UTF-8 decoding that never fails: invalid input comes back as U+FFFD per "maximal subpart",
// the substitution practice of Unicode (ch. 3, U+FFFD) and the WHATWG decoder, so every
// formatter shows damaged bytes the same way.
//
//   size_t i = 0;
//   while (i < s.size()) { Utf8Char c = DecodeUtf8(s, i); ...; i += c.length; }
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace kiroku::query::internal {

inline constexpr char32_t kReplacementChar = 0xFFFD;

struct Utf8Char {
  char32_t code_point = 0;  // kReplacementChar when !valid
  size_t length = 1;        // bytes consumed, >= 1
  bool valid = true;
};

// REQUIRES: pos < s.size()
Utf8Char DecodeUtf8(std::string_view s, size_t pos);

bool IsValidUtf8(std::string_view s);

void AppendUtf8(char32_t cp, std::string* out);

}  // namespace kiroku::query::internal

#include "syslog/internal/rfc5424.h"

#include <array>
#include <cstdint>

#include "syslog/internal/device_time.h"
#include "syslog/internal/scan.h"
#include "syslog/internal/timestamp.h"

namespace kiroku::syslog::internal {
namespace {

// Character classes by table: these loops run over every header byte of every message.
constexpr uint8_t kPrintUsAscii = 1;  // %d33-126
constexpr uint8_t kSdName = 2;        // PRINTUSASCII except '=', SP, ']' and '"'

constexpr std::array<uint8_t, 256> kCharClass = [] {
  std::array<uint8_t, 256> table{};
  for (int c = 33; c <= 126; ++c) {
    table[c] = kPrintUsAscii;
    if (c != '=' && c != ']' && c != '"') {
      table[c] |= kSdName;
    }
  }
  return table;
}();

bool IsPrintUsAscii(char c) { return kCharClass[static_cast<unsigned char>(c)] & kPrintUsAscii; }
bool IsSdNameChar(char c) { return kCharClass[static_cast<unsigned char>(c)] & kSdName; }

// One header field of 1..max_len PRINTUSASCII and the SP after it. "-" (NILVALUE) gives an empty
// Span. Field lengths are the RFC's (6.2.4-6.2.7); anything longer is not RFC 5424.
bool ParseField(std::string_view s, size_t* pos, size_t max_len, Span* out) {
  const size_t begin = *pos;
  size_t p = begin;
  while (p < s.size() && IsPrintUsAscii(s[p])) {
    ++p;
  }
  const size_t len = p - begin;
  if (len == 0 || len > max_len || !At(s, p, ' ')) {
    return false;
  }
  *out = (len == 1 && s[begin] == '-') ? Span{} : MakeSpan(begin, p);
  *pos = p + 1;
  return true;
}

// SD-NAME (SD-ID or PARAM-NAME). The RFC caps it at 32 characters; we do not, since a longer
// name is harmless to read and refusing it would throw away the whole header.
bool ParseSdName(std::string_view s, size_t* pos) {
  size_t p = *pos;
  while (p < s.size() && IsSdNameChar(s[p])) {
    ++p;
  }
  if (p == *pos) {
    return false;
  }
  *pos = p;
  return true;
}

// PARAM-VALUE after its opening quote, through the closing quote. A backslash always takes the
// next byte with it: that covers the three escapes (\" \\ \]) and leaves "\x" intact, as 6.3.3
// says it must be. An unescaped ']' is tolerated: inside quotes it cannot be misread.
bool SkipParamValue(std::string_view s, size_t* pos) {
  size_t p = *pos;
  while (p < s.size()) {
    const char c = s[p];
    if (c == '"') {
      *pos = p + 1;
      return true;
    }
    p += c == '\\' ? 2 : 1;
  }
  return false;
}

// STRUCTURED-DATA: "-" or one or more adjacent "[SD-ID *(SP PARAM-NAME="VALUE")]".
bool ParseStructuredData(std::string_view s, size_t* pos, Span* out) {
  size_t p = *pos;
  if (At(s, p, '-')) {
    *out = Span{};
    *pos = p + 1;
    return true;
  }
  const size_t begin = p;
  if (!At(s, p, '[')) {
    return false;
  }
  while (At(s, p, '[')) {
    ++p;
    if (!ParseSdName(s, &p)) {
      return false;
    }
    while (At(s, p, ' ')) {
      ++p;
      if (!ParseSdName(s, &p) || !At(s, p, '=') || !At(s, p + 1, '"')) {
        return false;
      }
      p += 2;
      if (!SkipParamValue(s, &p)) {
        return false;
      }
    }
    if (!At(s, p, ']')) {
      return false;
    }
    ++p;
  }
  *out = MakeSpan(begin, p);
  *pos = p;
  return true;
}

}  // namespace

bool ParseRfc5424(const ParseContext& ctx, size_t pos, SyslogHeader* h) {
  const std::string_view s = ctx.s;
  pos += 2;  // "1 "
  if (At(s, pos, '-')) {
    ++pos;
  } else {
    DeviceTimestamp ts;
    if (!ParseRfc5424Timestamp(s, &pos, &ts)) {
      return false;
    }
    h->device_time_ns = DeviceTimeNs(ts, nullptr, ctx.receive_time_ns);
    h->device_time_zone_known = h->device_time_ns.has_value();
  }
  if (!At(s, pos, ' ')) {
    return false;
  }
  ++pos;
  if (!ParseField(s, &pos, 255, &h->host) || !ParseField(s, &pos, 48, &h->app) ||
      !ParseField(s, &pos, 128, &h->procid) || !ParseField(s, &pos, 32, &h->msgid) ||
      !ParseStructuredData(s, &pos, &h->structured_data)) {
    return false;
  }
  if (pos < s.size()) {
    if (s[pos] != ' ') {
      return false;
    }
    h->msg = MsgSpan(s, pos + 1);
  }
  h->format = SyslogFormat::kRfc5424;
  return true;
}

}  // namespace kiroku::syslog::internal

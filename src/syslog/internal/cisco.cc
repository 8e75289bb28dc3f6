#include "syslog/internal/cisco.h"

#include "syslog/internal/device_time.h"
#include "syslog/internal/scan.h"

namespace kiroku::syslog::internal {
namespace {

// "hh:mm:ss:" or "1d02h:" / "2w3d:" / "1y2w:": IOS "service timestamps log uptime". The device
// time is then unknown, but the token must still not be taken for a host name.
bool IsUptime(std::string_view s, size_t pos) {
  if (pos >= s.size() || !IsDigit(s[pos])) {
    return false;
  }
  const size_t end = TokenEnd(s, pos);
  if (end - pos < 3 || s[end - 1] != ':') {
    return false;
  }
  const std::string_view body = s.substr(pos, end - pos - 1);
  if (body.size() == 8 && body[2] == ':' && body[5] == ':') {
    return ReadDigits(body, 0, 2) >= 0 && ReadDigits(body, 3, 2) >= 0 &&
           ReadDigits(body, 6, 2) >= 0;
  }
  bool digit_pending = false;
  for (const char c : body) {
    if (IsDigit(c)) {
      digit_pending = true;
    } else if ((c == 'y' || c == 'w' || c == 'd' || c == 'h') && digit_pending) {
      digit_pending = false;
    } else {
      return false;
    }
  }
  return !digit_pending;
}

// The zone abbreviation IOS appends with "show-timezone": 1..7 letters, digits, '+' or '-',
// ending at the ':'. Returns its end, or pos if there is none.
size_t ZoneAbbreviationEnd(std::string_view s, size_t pos) {
  size_t p = pos;
  while (p < s.size() && p - pos < 8 &&
         (IsAlpha(s[p]) || IsDigit(s[p]) || s[p] == '+' || s[p] == '-')) {
    ++p;
  }
  return (p > pos && p - pos <= 7 && At(s, p, ':')) ? p : pos;
}

bool IsUtcAbbreviation(std::string_view tz) {
  if (tz.size() != 3) {
    return false;
  }
  const char a = tz[0] | 0x20, b = tz[1] | 0x20, c = tz[2] | 0x20;
  return (a == 'u' && b == 't' && c == 'c') || (a == 'g' && b == 'm' && c == 't');
}

bool IsClockMark(std::string_view s, size_t pos) {
  return (At(s, pos, '*') || At(s, pos, '.')) &&
         (LooksLikeBsdTimestamp(s, pos + 1) || LooksLikeNxosTimestamp(s, pos + 1));
}

bool AtTimestamp(std::string_view s, size_t pos) {
  return IsClockMark(s, pos) || LooksLikeBsdTimestamp(s, pos) || LooksLikeNxosTimestamp(s, pos) ||
         IsUptime(s, pos);
}

}  // namespace

bool CiscoTailFollows(std::string_view s, size_t pos) {
  if (At(s, pos, ':')) {
    return true;
  }
  if (!At(s, pos, ' ')) {
    return false;
  }
  const size_t tz_end = ZoneAbbreviationEnd(s, pos + 1);
  return tz_end > pos + 1 && IsUpper(s[pos + 1]) && IsUpper(s[tz_end - 1]) &&
         At(s, tz_end + 1, ' ') && At(s, tz_end + 2, '%');
}

bool ParseCiscoTail(const ParseContext& ctx, size_t pos, DeviceTimestamp ts, bool has_time,
                    SyslogHeader* h) {
  const std::string_view s = ctx.s;
  size_t tz_begin = pos, tz_end = pos;
  if (At(s, pos, ' ')) {
    tz_begin = pos + 1;
    tz_end = ZoneAbbreviationEnd(s, tz_begin);
    if (tz_end > tz_begin) {
      pos = tz_end;
    }
  }
  if (At(s, pos, ':')) {
    ++pos;
  } else if (pos < s.size() && s[pos] != ' ') {
    return false;
  }
  h->format = SyslogFormat::kCisco;
  h->msg = MsgSpan(s, SkipSpaces(s, pos));
  if (has_time) {
    // Only UTC/GMT mean one thing; "CST" alone is China, Cuba or Central time, so any other
    // abbreviation is read in the zone configured for the source.
    if (IsUtcAbbreviation(s.substr(tz_begin, tz_end - tz_begin))) {
      ts.has_offset = true;
      ts.offset_seconds = 0;
    }
    const Zone zone = ts.has_offset ? nullptr : ctx.ZoneFor(h->host);
    h->device_time_ns = DeviceTimeNs(ts, zone, ctx.receive_time_ns);
    h->device_time_zone_known = ts.has_offset && ts.has_year && h->device_time_ns.has_value();
  }
  return true;
}

CiscoResult ParseCisco(const ParseContext& ctx, size_t pos, SyslogHeader* h) {
  const std::string_view s = ctx.s;
  size_t p = pos;
  if (p >= s.size()) {
    return CiscoResult::kNotCisco;
  }
  // SEQ, or NX-OS's empty one, may be followed by "HOST: ".
  bool may_have_host = false;
  const bool starts_with_uptime = IsUptime(s, p);
  if (!starts_with_uptime && IsDigit(s[p])) {
    while (p < s.size() && p - pos <= 10 && IsDigit(s[p])) {
      ++p;
    }
    if (!At(s, p, ':') || p - pos > 10) {
      return CiscoResult::kNotCisco;
    }
    p = SkipSpaces(s, p + 1);
    may_have_host = true;
  } else if (s[p] == ':') {
    p = SkipSpaces(s, p + 1);
    may_have_host = true;
  } else if (!starts_with_uptime && !IsClockMark(s, p)) {
    return CiscoResult::kNotCisco;
  }
  if (may_have_host && p < s.size() && !AtTimestamp(s, p) && s[p] != '%') {
    const size_t end = TokenEnd(s, p);
    if (s[end - 1] == ':') {
      h->host = MakeSpan(p, end - 1);
      p = SkipSpaces(s, end);
    }
  }

  if (IsClockMark(s, p)) {
    ++p;
  }
  DeviceTimestamp ts;
  Lex lex = Lex::kAbsent;
  if (IsUptime(s, p)) {
    p = TokenEnd(s, p) - 1;  // at its ':'
  } else if ((lex = LexBsdTimestamp(s, &p, &ts)) == Lex::kAbsent) {
    lex = LexNxosTimestamp(s, &p, &ts);
    if (lex == Lex::kAbsent) {
      // "<189>45: %SYS-5-CONFIG_I: ..." (no service timestamps) or text we do not know.
      h->format = SyslogFormat::kCisco;
      h->msg = MsgSpan(s, p);
      return CiscoResult::kOk;
    }
  }
  if (lex == Lex::kMalformed) {
    return CiscoResult::kMalformed;
  }
  return ParseCiscoTail(ctx, p, ts, lex == Lex::kOk, h) ? CiscoResult::kOk
                                                        : CiscoResult::kMalformed;
}

}  // namespace kiroku::syslog::internal

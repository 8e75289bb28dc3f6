#include "syslog/internal/timestamp.h"

#include "syslog/internal/civil.h"
#include "syslog/internal/scan.h"

namespace kiroku::syslog::internal {
namespace {

constexpr uint32_t Pack(char a, char b, char c) {
  return static_cast<uint32_t>(static_cast<unsigned char>(a)) << 16 |
         static_cast<uint32_t>(static_cast<unsigned char>(b)) << 8 | static_cast<unsigned char>(c);
}

// "hh:mm:ss[.f]". Accepts second 60 (RFC 3339 leap second) rather than lose the whole header.
bool ParseTimeOfDay(std::string_view s, size_t* pos, DeviceTimestamp* ts) {
  size_t p = *pos;
  const int h = ReadDigits(s, p, 2);
  if (h < 0 || h > 23 || !At(s, p + 2, ':')) {
    return false;
  }
  const int m = ReadDigits(s, p + 3, 2);
  if (m < 0 || m > 59 || !At(s, p + 5, ':')) {
    return false;
  }
  const int sec = ReadDigits(s, p + 6, 2);
  if (sec < 0 || sec > 60) {
    return false;
  }
  p += 8;
  int32_t nanos = 0;
  if (At(s, p, '.')) {
    ++p;
    int digits = 0;
    while (p < s.size() && IsDigit(s[p])) {
      if (++digits > 9) {
        return false;
      }
      nanos = nanos * 10 + (s[p] - '0');
      ++p;
    }
    if (digits == 0) {
      return false;
    }
    for (int i = digits; i < 9; ++i) {
      nanos *= 10;
    }
  }
  ts->hour = h;
  ts->minute = m;
  ts->second = sec;
  ts->nanos = nanos;
  *pos = p;
  return true;
}

// 'Z' or +hh:mm; with `allow_basic` also +hhmm.
bool ParseOffset(std::string_view s, size_t* pos, bool allow_basic, DeviceTimestamp* ts) {
  size_t p = *pos;
  if (p >= s.size()) {
    return false;
  }
  if (s[p] == 'Z' || s[p] == 'z') {
    ts->has_offset = true;
    ts->offset_seconds = 0;
    *pos = p + 1;
    return true;
  }
  if (s[p] != '+' && s[p] != '-') {
    return false;
  }
  const int sign = s[p] == '-' ? -1 : 1;
  const int h = ReadDigits(s, p + 1, 2);
  if (h < 0 || h > 23) {
    return false;
  }
  int m;
  if (At(s, p + 3, ':')) {
    m = ReadDigits(s, p + 4, 2);
    p += 6;
  } else if (allow_basic) {
    m = ReadDigits(s, p + 3, 2);
    p += 5;
  } else {
    return false;
  }
  if (m < 0 || m > 59) {
    return false;
  }
  ts->has_offset = true;
  ts->offset_seconds = sign * (h * 3600 + m * 60);
  *pos = p;
  return true;
}

bool ValidDay(const DeviceTimestamp& ts) {
  // Without a year, Feb 29 may still be valid: device_time.cc picks a leap year for it.
  const int64_t year = ts.has_year ? ts.year : 2000;
  return ts.day >= 1 && ts.day <= DaysInMonth(year, ts.month);
}

// "yyyy-mm-dd" followed by a separator accepted by `is_sep`.
template <typename IsSep>
bool ParseIsoDate(std::string_view s, size_t* pos, DeviceTimestamp* ts, IsSep is_sep) {
  const size_t p = *pos;
  const int y = ReadDigits(s, p, 4);
  if (y < 0 || !At(s, p + 4, '-')) {
    return false;
  }
  const int mo = ReadDigits(s, p + 5, 2);
  if (mo < 1 || mo > 12 || !At(s, p + 7, '-')) {
    return false;
  }
  const int d = ReadDigits(s, p + 8, 2);
  if (d < 0 || p + 10 >= s.size() || !is_sep(s[p + 10])) {
    return false;
  }
  ts->has_year = true;
  ts->year = y;
  ts->month = mo;
  ts->day = d;
  if (!ValidDay(*ts)) {
    return false;
  }
  *pos = p + 11;
  return true;
}

// The day of a BSD timestamp: "dd", " d" or "d", then a space.
bool ParseBsdDay(std::string_view s, size_t* pos, DeviceTimestamp* ts) {
  size_t p = *pos;
  int d;
  if (At(s, p, ' ')) {
    d = ReadDigits(s, p + 1, 1);
    p += 2;
  } else if (p + 1 < s.size() && IsDigit(s[p + 1])) {
    d = ReadDigits(s, p, 2);
    p += 2;
  } else {
    d = ReadDigits(s, p, 1);
    p += 1;
  }
  if (d < 1 || !At(s, p, ' ')) {
    return false;
  }
  ts->day = d;
  *pos = p + 1;
  return true;
}

}  // namespace

int MonthAt(std::string_view s, size_t pos) {
  if (pos + 3 > s.size()) {
    return 0;
  }
  // OR-ing 0x20 lower-cases ASCII letters and maps no other byte onto one.
  switch (Pack(s[pos] | 0x20, s[pos + 1] | 0x20, s[pos + 2] | 0x20)) {
    case Pack('j', 'a', 'n'):
      return 1;
    case Pack('f', 'e', 'b'):
      return 2;
    case Pack('m', 'a', 'r'):
      return 3;
    case Pack('a', 'p', 'r'):
      return 4;
    case Pack('m', 'a', 'y'):
      return 5;
    case Pack('j', 'u', 'n'):
      return 6;
    case Pack('j', 'u', 'l'):
      return 7;
    case Pack('a', 'u', 'g'):
      return 8;
    case Pack('s', 'e', 'p'):
      return 9;
    case Pack('o', 'c', 't'):
      return 10;
    case Pack('n', 'o', 'v'):
      return 11;
    case Pack('d', 'e', 'c'):
      return 12;
    default:
      return 0;
  }
}

bool LooksLikeBsdTimestamp(std::string_view s, size_t pos) {
  return pos + 4 < s.size() && s[pos + 3] == ' ' && (IsDigit(s[pos + 4]) || s[pos + 4] == ' ') &&
         MonthAt(s, pos) != 0;
}

bool LooksLikeNxosTimestamp(std::string_view s, size_t pos) {
  return pos + 8 < s.size() && s[pos + 4] == ' ' && s[pos + 8] == ' ' &&
         ReadDigits(s, pos, 4) >= 0 && MonthAt(s, pos + 5) != 0;
}

bool ParseRfc5424Timestamp(std::string_view s, size_t* pos, DeviceTimestamp* ts) {
  size_t p = *pos;
  DeviceTimestamp t;
  if (!ParseIsoDate(s, &p, &t, [](char c) { return c == 'T' || c == 't'; })) {
    return false;
  }
  if (!ParseTimeOfDay(s, &p, &t) || !ParseOffset(s, &p, /*allow_basic=*/false, &t)) {
    return false;
  }
  *ts = t;
  *pos = p;
  return true;
}

Lex LexIsoTimestamp(std::string_view s, size_t* pos, DeviceTimestamp* ts) {
  size_t p = *pos;
  if (!At(s, p + 4, '-') || ReadDigits(s, p, 4) < 0) {
    return Lex::kAbsent;
  }
  DeviceTimestamp t;
  if (!ParseIsoDate(s, &p, &t, [](char c) { return c == 'T' || c == 't' || c == ' '; }) ||
      !ParseTimeOfDay(s, &p, &t)) {
    return Lex::kMalformed;
  }
  if (p < s.size() && s[p] != ' ' && !ParseOffset(s, &p, /*allow_basic=*/true, &t)) {
    return Lex::kMalformed;
  }
  *ts = t;
  *pos = p;
  return Lex::kOk;
}

Lex LexBsdTimestamp(std::string_view s, size_t* pos, DeviceTimestamp* ts) {
  if (!LooksLikeBsdTimestamp(s, *pos)) {
    return Lex::kAbsent;
  }
  size_t p = *pos;
  DeviceTimestamp t;
  t.month = MonthAt(s, p);
  p += 4;
  if (!ParseBsdDay(s, &p, &t)) {
    return Lex::kMalformed;
  }
  // "Nov 26 2026 14:30:00": four digits and a space cannot be the start of hh:mm:ss.
  if (At(s, p + 4, ' ')) {
    const int y = ReadDigits(s, p, 4);
    if (y >= 0) {
      t.has_year = true;
      t.year = y;
      p += 5;
    }
  }
  if (!ValidDay(t) || !ParseTimeOfDay(s, &p, &t)) {
    return Lex::kMalformed;
  }
  *ts = t;
  *pos = p;
  return Lex::kOk;
}

Lex LexNxosTimestamp(std::string_view s, size_t* pos, DeviceTimestamp* ts) {
  if (!LooksLikeNxosTimestamp(s, *pos)) {
    return Lex::kAbsent;
  }
  size_t p = *pos;
  DeviceTimestamp t;
  t.has_year = true;
  t.year = ReadDigits(s, p, 4);
  t.month = MonthAt(s, p + 5);
  p += 9;
  if (!ParseBsdDay(s, &p, &t) || !ValidDay(t) || !ParseTimeOfDay(s, &p, &t)) {
    return Lex::kMalformed;
  }
  *ts = t;
  *pos = p;
  return Lex::kOk;
}

}  // namespace kiroku::syslog::internal

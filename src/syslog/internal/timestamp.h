// Lexers for the timestamps syslog senders write. They only read what is there; turning the
// result into UTC (zone, missing year) is device_time.h's job, because that needs the host
// name, which comes later in the line.
//
//   DeviceTimestamp ts;
//   size_t pos = 4;
//   if (LexBsdTimestamp(line, &pos, &ts) == Lex::kOk) ...   // "Nov 26 14:30:00", pos past it
//
// Impossible dates (Apr 31, Feb 29 2027) are malformed, not merely unusual.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace kiroku::syslog::internal {

struct DeviceTimestamp {
  bool has_year = false;  // "Mmm dd hh:mm:ss" has none: it is inferred from the receive time
  int year = 0;
  int month = 0;  // 1..12
  int day = 0;    // 1..31
  int hour = 0;
  int minute = 0;
  int second = 0;  // 0..60: a leap second is accepted and counts as the next minute's :00
  int32_t nanos = 0;
  // True when the sender said which offset it used ('Z', +hh:mm, Cisco's "UTC").
  bool has_offset = false;
  int32_t offset_seconds = 0;  // local = UTC + offset
};

// 1..12 for "Jan".."Dec" (any letter case) at s[pos], else 0.
int MonthAt(std::string_view s, size_t pos);

// Whether a timestamp of the kind asked for starts at the position, and if so whether it is
// well-formed. The shape test is what commits a line to a layout: "Nov 26 14:3" is a broken
// timestamp (a parse error), "Nobody home" is no timestamp at all (content).
enum class Lex {
  kAbsent,     // does not start like one; *pos unchanged
  kOk,         // *pos is past it
  kMalformed,  // starts like one but is not; *pos unchanged
};

// Shape: a month name, a space, then a digit or a space (the padding of a one-digit day).
// "Mmm dd hh:mm:ss", "Mmm  d hh:mm:ss", "Mmm d hh:mm:ss", each with an optional " yyyy" after
// the day and an optional ".fraction" (1-9 digits) after the seconds.
Lex LexBsdTimestamp(std::string_view s, size_t* pos, DeviceTimestamp* ts);

// Shape: "dddd-". ISO 8601 as BSD-style senders write it (rsyslog's RFC 3339 templates,
// appliances): 'T', 't' or ' ' between date and time; offset optional ('Z', +hh:mm or +hhmm).
Lex LexIsoTimestamp(std::string_view s, size_t* pos, DeviceTimestamp* ts);

// Shape: "dddd Mmm ". NX-OS: "yyyy Mmm dd hh:mm:ss[.fraction]".
Lex LexNxosTimestamp(std::string_view s, size_t* pos, DeviceTimestamp* ts);

bool LooksLikeBsdTimestamp(std::string_view s, size_t pos);
bool LooksLikeNxosTimestamp(std::string_view s, size_t pos);

// RFC 5424's subset of RFC 3339: "2003-10-11T22:14:15.003Z", offset required, 'T' separator.
// Fractions of up to 9 digits are accepted (the RFC allows 6).
bool ParseRfc5424Timestamp(std::string_view s, size_t* pos, DeviceTimestamp* ts);

}  // namespace kiroku::syslog::internal

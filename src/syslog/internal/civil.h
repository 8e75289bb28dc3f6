// Calendar arithmetic on the proleptic Gregorian calendar, without a time zone library.
//
// The hot path turns "2026-11-26T14:30:00" into seconds since the epoch for every message;
// these are Howard Hinnant's branch-light algorithms (the ones date.h and <chrono> use), kept
// here as constexpr integer functions so the parser needs no chrono types on its fast path.
//
//   int64_t d = DaysFromCivil(2026, 11, 26);   // days since 1970-01-01
#pragma once

#include <cstdint>

namespace kiroku::syslog::internal {

constexpr int64_t kSecondsPerDay = 86400;
constexpr int64_t kNanosPerSecond = 1'000'000'000;

constexpr bool IsLeapYear(int64_t y) { return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0); }

// REQUIRES: 1 <= m <= 12.
constexpr int DaysInMonth(int64_t y, int m) {
  constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeapYear(y) ? 29 : kDays[m - 1];
}

// Days since 1970-01-01 of y-m-d. REQUIRES: 1 <= m <= 12, 1 <= d <= 31.
constexpr int64_t DaysFromCivil(int64_t y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// The year of the day `days` since 1970-01-01.
constexpr int64_t YearFromDays(int64_t days) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t doe = days - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  return yoe + era * 400 + (mp >= 10);
}

// Floor division, so that times before 1970 land in the right day.
constexpr int64_t FloorDiv(int64_t a, int64_t b) {
  return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

}  // namespace kiroku::syslog::internal

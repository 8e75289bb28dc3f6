#include "syslog/internal/device_time.h"

#include "syslog/internal/civil.h"
#include "syslog/internal/local_time.h"

namespace kiroku::syslog::internal {
namespace {

// int64 ns covers 1677-09-21 .. 2262-04-11; these bounds leave room for any offset.
constexpr int kMinYear = 1678;
constexpr int kMaxYear = 2261;

}  // namespace

int InferYear(int month, int day, int64_t seconds_of_day, int64_t receive_time_ns) {
  const int64_t receive_s = FloorDiv(receive_time_ns, kNanosPerSecond);
  const int64_t limit = receive_s + kMaxDeviceAheadSeconds;
  // No year after the limit's own can qualify, so start there; usually it is the answer.
  // Nine years back always reaches a leap year, even across 2100.
  const int64_t latest = YearFromDays(FloorDiv(limit, kSecondsPerDay));
  for (int64_t y = latest; y >= latest - 9; --y) {
    if (month == 2 && day == 29 && !IsLeapYear(y)) {
      continue;
    }
    if (DaysFromCivil(y, month, day) * kSecondsPerDay + seconds_of_day <= limit) {
      return static_cast<int>(y);
    }
  }
  return 0;
}

std::optional<int64_t> DeviceTimeNs(const DeviceTimestamp& ts, Zone zone, int64_t receive_time_ns) {
  const int64_t seconds_of_day = ts.hour * 3600 + ts.minute * 60 + ts.second;
  const int year =
      ts.has_year ? ts.year : InferYear(ts.month, ts.day, seconds_of_day, receive_time_ns);
  if (year < kMinYear || year > kMaxYear) {
    return std::nullopt;
  }
  const int64_t wall_ns =
      (DaysFromCivil(year, ts.month, ts.day) * kSecondsPerDay + seconds_of_day) * kNanosPerSecond +
      ts.nanos;
  if (ts.has_offset) {
    return wall_ns - int64_t{ts.offset_seconds} * kNanosPerSecond;
  }
  return LocalToUtcNs(zone, wall_ns);
}

}  // namespace kiroku::syslog::internal

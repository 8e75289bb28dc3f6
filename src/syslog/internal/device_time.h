// Turns a lexed timestamp into the device time kiroku records (UTC ns since the epoch).
//
// An explicit offset is applied as written. Otherwise the wall clock is read in `zone` (the
// per-source rule, default the server's zone), and a missing year is inferred from the receive
// time (InferYear). docs/syslog-parsing.md states both rules for users.
//
//   std::optional<int64_t> t = DeviceTimeNs(ts, zones.ZoneFor(peer, host), receive_ns);
#pragma once

#include <cstdint>
#include <optional>

#include "syslog/internal/timestamp.h"
#include "syslog/parser.h"

namespace kiroku::syslog::internal {

// How far ahead of the receive time a device clock may run before we read its "Jan 1" as
// January of this year rather than of the next.
constexpr int64_t kMaxDeviceAheadSeconds = int64_t{31} * 86400;

// The year for a timestamp that has none: the latest year in which month/day/time-of-day is
// at most kMaxDeviceAheadSeconds after the receive time. That is the year that puts the device
// time closest to the receive time, given that clocks run behind more often and further than
// ahead (a buffered or replayed message is old, never from the future). The comparison uses the
// wall-clock reading, so the bound is fuzzy by the zone offset (≤ 1 day), which is harmless.
// Feb 29 takes the latest leap year that qualifies. Returns 0 if none does (cannot happen).
int InferYear(int month, int day, int64_t seconds_of_day, int64_t receive_time_ns);

// nullopt when the time is not representable as int64 ns (outside 1678..2261), which a sane
// device clock never produces; the rest of the header is still good, so it is not a parse error.
std::optional<int64_t> DeviceTimeNs(const DeviceTimestamp& ts, Zone zone, int64_t receive_time_ns);

}  // namespace kiroku::syslog::internal

// Wall-clock time in a zone → UTC, cached per zone because it runs once per message.
//
// A date::time_zone lookup is a binary search over the zone's transitions plus some
// bookkeeping; a device's messages almost always fall between the same two transitions, so
// each thread remembers, for the last few zones it saw, the span of local time over which the
// offset is constant and unambiguous, and converts with one compare and one subtraction.
//
//   int64_t utc_ns = LocalToUtcNs(date::locate_zone("Europe/Berlin"), local_ns);
#pragma once

#include <cstdint>

#include "syslog/parser.h"

namespace kiroku::syslog::internal {

// `local_ns` is the wall-clock reading expressed as if it were UTC ns since the epoch.
// A zone of nullptr is UTC. A time that the zone skips (spring forward) or repeats (fall back)
// is resolved as date::time_zone::to_sys(..., date::choose::earliest) does: a repeated time
// takes the first (pre-transition) offset; a skipped time maps to the transition instant.
int64_t LocalToUtcNs(Zone zone, int64_t local_ns);

}  // namespace kiroku::syslog::internal

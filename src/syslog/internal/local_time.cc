#include "syslog/internal/local_time.h"

#include <date/tz.h>

#include <algorithm>
#include <chrono>

#include "syslog/internal/civil.h"

namespace kiroku::syslog::internal {
namespace {

// Beyond these, date's sys_info bounds are sentinels (years -32767 / 32767), not transitions.
constexpr int64_t kFarPast = -100'000'000'000;   // about year -1200
constexpr int64_t kFarFuture = 100'000'000'000;  // about year 5100

struct Window {
  Zone zone;
  int64_t local_begin;  // seconds, inclusive
  int64_t local_end;    // seconds, exclusive
  int64_t offset_ns;    // local - UTC
};

// Few zones are active at once (usually one or two); four entries with round-robin replacement
// cover that without hashing. Trivially constructible, so thread_local costs no init guard.
struct WindowCache {
  Window entries[4];
  unsigned next;
};
thread_local WindowCache cache;

// The local-time span in which `info`'s offset applies and no other does: the neighbouring
// periods' local spans overlap this one after a fall-back and leave a gap after a spring-forward.
Window UniqueWindow(Zone zone, const date::sys_info& info) {
  using std::chrono::seconds;
  const int64_t begin = info.begin.time_since_epoch().count();
  const int64_t end = info.end.time_since_epoch().count();
  const int64_t offset = info.offset.count();
  int64_t local_begin = begin + offset;
  int64_t local_end = end + offset;
  if (begin > kFarPast) {
    const auto prev = zone->get_info(date::sys_seconds(seconds(begin - 1)));
    local_begin = begin + std::max<int64_t>(offset, prev.offset.count());
  }
  if (end < kFarFuture) {
    const auto next = zone->get_info(date::sys_seconds(seconds(end)));
    local_end = end + std::min<int64_t>(offset, next.offset.count());
  }
  return Window{zone, local_begin, local_end, offset * kNanosPerSecond};
}

int64_t Miss(Zone zone, int64_t local_ns, int64_t local_s) {
  using std::chrono::nanoseconds;
  using std::chrono::seconds;
  const auto info = zone->get_info(date::local_seconds(seconds(local_s)));
  if (info.result != date::local_info::unique) {
    // Only the hour around a transition gets here; not worth caching.
    return zone
        ->to_sys(date::local_time<nanoseconds>(nanoseconds(local_ns)), date::choose::earliest)
        .time_since_epoch()
        .count();
  }
  const Window w = UniqueWindow(zone, info.first);
  cache.entries[cache.next++ % 4] = w;
  return local_ns - w.offset_ns;
}

}  // namespace

int64_t LocalToUtcNs(Zone zone, int64_t local_ns) {
  if (zone == nullptr) {
    return local_ns;
  }
  const int64_t local_s = FloorDiv(local_ns, kNanosPerSecond);
  for (const Window& w : cache.entries) {
    if (w.zone == zone && local_s >= w.local_begin && local_s < w.local_end) {
      return local_ns - w.offset_ns;
    }
  }
  return Miss(zone, local_ns, local_s);
}

}  // namespace kiroku::syslog::internal

#include "common/clock.h"

#include <ctime>

namespace kiroku {
namespace {
int64_t Read(clockid_t id) {
  timespec ts{};
  clock_gettime(id, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}
}  // namespace

int64_t RealClock::NowNs() const { return Read(CLOCK_REALTIME); }
int64_t RealClock::MonotonicNs() const { return Read(CLOCK_MONOTONIC); }
const RealClock& RealClock::Instance() {
  static const RealClock clock;
  return clock;
}

}  // namespace kiroku

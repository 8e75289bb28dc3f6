// Clock: the only way logic code reads time, so tests can drive it with a FakeClock.
//
//   RealClock clock;
//   int64_t received = clock.NowNs();   // UTC nanoseconds since the Unix epoch
#pragma once

#include <atomic>
#include <cstdint>

namespace kiroku {

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall-clock time, UTC, nanoseconds since 1970-01-01T00:00:00Z.
  virtual int64_t NowNs() const = 0;
  // Monotonic time in nanoseconds from an arbitrary origin; for durations only.
  virtual int64_t MonotonicNs() const = 0;
};

class RealClock final : public Clock {
 public:
  int64_t NowNs() const override;
  int64_t MonotonicNs() const override;
  // The process-wide real clock.
  static const RealClock& Instance();
};

// A clock that moves only when told to. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t now_ns = 0) : now_(now_ns), mono_(0) {}
  int64_t NowNs() const override { return now_.load(); }
  int64_t MonotonicNs() const override { return mono_.load(); }
  void Set(int64_t now_ns) { now_.store(now_ns); }
  void Advance(int64_t delta_ns) {
    now_ += delta_ns;
    mono_ += delta_ns;
  }

 private:
  std::atomic<int64_t> now_;
  std::atomic<int64_t> mono_;
};

}  // namespace kiroku

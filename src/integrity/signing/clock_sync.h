// ClockSyncState: whether the server clock was NTP-synchronised when a head was signed, and
// how far off the kernel thinks it may be. Every signed tree head carries it, so a verifier
// can tell a timestamp from a disciplined clock from one from a free-running clock.
//
// AdjtimexClockSync reads the kernel's NTP state with ntp_adjtime (adjtimex) in read-only
// mode: synced means the call did not return TIME_ERROR and STA_UNSYNC is clear. Tests use
// FakeClockSync.
//
//   AdjtimexClockSync sync;
//   ClockSyncState s = sync.Read();
//   if (!s.synced) log("signing heads with an unsynchronised clock, max error ", s.max_error_us);
#pragma once

#include <cstdint>
#include <mutex>

namespace kiroku::integrity::signing {

struct ClockSyncState {
  bool synced = false;
  int64_t est_error_us = 0;  // timex.esterror
  int64_t max_error_us = 0;  // timex.maxerror
  int32_t status = 0;        // timex.status bits (STA_*) as the kernel reports them
  friend bool operator==(const ClockSyncState&, const ClockSyncState&) = default;
};

class ClockSyncSource {
 public:
  virtual ~ClockSyncSource() = default;
  virtual ClockSyncState Read() const = 0;
};

class AdjtimexClockSync final : public ClockSyncSource {
 public:
  // If the call itself fails, the clock is reported unsynced with errors of -1.
  ClockSyncState Read() const override;
};

class FakeClockSync final : public ClockSyncSource {
 public:
  explicit FakeClockSync(ClockSyncState state = {}) : state_(state) {}
  ClockSyncState Read() const override {
    std::lock_guard lock(mu_);
    return state_;
  }
  void Set(ClockSyncState state) {
    std::lock_guard lock(mu_);
    state_ = state;
  }

 private:
  mutable std::mutex mu_;
  ClockSyncState state_;
};

}  // namespace kiroku::integrity::signing

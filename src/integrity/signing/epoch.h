// Epoch: the index of a signing-key period, and the schedule that maps time to epochs.
//
// Epoch e covers the half-open window [start + e·length, start + (e+1)·length) of UTC time.
// Each epoch has its own Ed25519 key (epoch_keys.h); a head signed with epoch e's key must
// carry a timestamp inside e's window, which is what makes a later re-signing by a thief of the
// server detectable (VerifyHead in head_verify.h).
//
//   EpochSchedule s{.start_s = 1767225600, .length_s = 3600};
//   std::optional<Epoch> e = s.EpochAt(clock.NowNs());   // nullopt before the start
//   bool inside = s.Contains(*e, head.timestamp_ns);
#pragma once

#include <compare>
#include <cstdint>
#include <optional>

namespace kiroku::integrity::signing {

struct Epoch {
  uint64_t value = 0;
  // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads the defaulted <=>
  friend constexpr auto operator<=>(Epoch, Epoch) = default;
};

inline constexpr uint32_t kDefaultEpochSeconds = 3600;
// Ten years of hourly epochs (365 days a year).
inline constexpr uint64_t kDefaultHorizonEpochs = 10ull * 365 * 24;

struct EpochSchedule {
  int64_t start_s = 0;  // Unix seconds at which epoch 0 begins
  uint32_t length_s = kDefaultEpochSeconds;

  // REQUIRES: length_s > 0 (for all members)
  // First nanosecond of epoch e (saturating at INT64_MAX far in the future).
  int64_t StartNs(Epoch e) const;
  // One past the last nanosecond of epoch e.
  int64_t EndNs(Epoch e) const { return StartNs(Epoch{e.value + 1}); }
  // The epoch whose window holds time_ns; nullopt before start_s.
  std::optional<Epoch> EpochAt(int64_t time_ns) const;
  bool Contains(Epoch e, int64_t time_ns) const {
    return time_ns >= StartNs(e) && time_ns < EndNs(e);
  }
  friend bool operator==(const EpochSchedule&, const EpochSchedule&) = default;
};

}  // namespace kiroku::integrity::signing

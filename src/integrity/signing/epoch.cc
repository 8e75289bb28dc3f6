#include "integrity/signing/epoch.h"

#include <limits>

namespace kiroku::integrity::signing {

int64_t EpochSchedule::StartNs(Epoch e) const {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  constexpr int64_t kNsPerS = 1'000'000'000;
  // Epoch indexes from untrusted input can be huge; saturate instead of overflowing.
  const __int128 ns = (static_cast<__int128>(start_s) +
                       static_cast<__int128>(e.value) * static_cast<__int128>(length_s)) *
                      kNsPerS;
  if (ns > kMax) return kMax;
  if (ns < std::numeric_limits<int64_t>::min()) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(ns);
}

std::optional<Epoch> EpochSchedule::EpochAt(int64_t time_ns) const {
  const __int128 since =
      static_cast<__int128>(time_ns) - static_cast<__int128>(start_s) * 1'000'000'000;
  if (since < 0 || length_s == 0) return std::nullopt;
  return Epoch{static_cast<uint64_t>(since / (static_cast<__int128>(length_s) * 1'000'000'000))};
}

}  // namespace kiroku::integrity::signing

// ServerClockWatch: the log server's own clock, read from the kernel (ClockSyncSource:
// adjtimex in the server, FakeClockSync in tests) at start and at every Poll. A change between
// synced and unsynced is an event for the self-audit log; the intervals during which the clock
// was unsynced are kept, so receive times taken then can be marked (Corrector::
// ReceiveUnsynced) without touching the records.
//
//   ServerClockWatch w(sync, metrics);
//   if (auto change = w.Poll(clock.NowNs())) audit(*change);
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>
#include <vector>

#include "common/metrics.h"
#include "integrity/signing/clock_sync.h"

namespace kiroku::timewatch {

struct ServerClockChange {
  bool first = false;  // the first reading of this run
  integrity::signing::ClockSyncState state;
  int64_t at_ns = 0;
};

class ServerClockWatch {
 public:
  // `metrics` may be null.
  ServerClockWatch(const integrity::signing::ClockSyncSource& source, Metrics* metrics);

  // Reads the kernel state; returns a change of synced/unsynced (and the first reading).
  std::optional<ServerClockChange> Poll(int64_t now_ns);

  const integrity::signing::ClockSyncState& state() const { return state_; }
  bool known() const { return known_; }
  // [start, end) receive-time intervals with the clock unsynced; end 0 = still unsynced.
  const std::vector<std::pair<int64_t, int64_t>>& unsynced() const { return unsynced_; }

  nlohmann::json ToJson() const;
  // Restores the intervals of earlier runs (an open interval is closed at its last check).
  void RestoreIntervals(const nlohmann::json& j);

 private:
  static constexpr size_t kMaxIntervals = 1000;
  const integrity::signing::ClockSyncSource& source_;
  Gauge* synced_gauge_ = nullptr;
  Gauge* max_error_gauge_us_ = nullptr;
  Gauge* est_error_gauge_us_ = nullptr;
  Counter* changes_ = nullptr;
  integrity::signing::ClockSyncState state_;
  bool known_ = false;
  int64_t checked_ns_ = 0;
  std::vector<std::pair<int64_t, int64_t>> unsynced_;
};

}  // namespace kiroku::timewatch

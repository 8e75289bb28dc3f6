// What `kiroku sources` shows of one source, and its status, computed from the source's state,
// the thresholds and the time of the question. Pure functions, so the server, the snapshot
// reader and the tests agree.
//
// Status, first that holds: silent, timezone?, unsynced, offset, drifting, no-sync-log, ok
// (docs/clock.md). Conditions (what alerts fire on) are listed apart from the status because
// several can hold at once.
//
//   SourceReport r = MakeReport(state, thresholds, server_max_error_ns, now_ns);
//   nlohmann::json j = r.ToJson();   // host, address, messages, ..., status
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "timewatch/source.h"

namespace kiroku::timewatch {

struct Thresholds {
  int64_t offset_ns = 1'000'000'000;             // |offset| above: status offset, alert
  double drift_ppm = 20.0;                       // |drift| above: drifting
  int64_t sync_max_age_ns = 86'400'000'000'000;  // no sync event for this long: no-sync-log
  int64_t silent_after_ns = 3'600'000'000'000;   // no message for this long: silent
  // Per host name, address or observer.type (first match in that order).
  std::map<std::string, int64_t> silent_after_by;
  int64_t zone_tolerance_ns = 300'000'000'000;  // how near a half-hour multiple is "a zone"

  int64_t SilentAfter(const SourceState& s) const;
  nlohmann::json ToJson() const;
  static Thresholds FromJson(const nlohmann::json& j);
};

// Alert conditions.
inline constexpr char kCondOffset[] = "clock-offset";
inline constexpr char kCondDrift[] = "clock-drift";
inline constexpr char kCondSyncMissing[] = "sync-missing";
inline constexpr char kCondSilent[] = "source-silent";

struct SourceReport {
  std::string host;
  std::string address;
  uint64_t messages = 0;
  int64_t first_seen_ns = 0;
  int64_t last_seen_ns = 0;
  std::vector<std::string> transports;
  std::string observer_type;
  std::optional<double> offset_ms;
  std::optional<double> uncertainty_ms;
  std::optional<double> precision_ms;
  std::optional<double> drift_ppm;
  uint64_t steps = 0;
  int64_t last_sync_ns = 0;
  std::string sync_state;
  std::string time_server;
  int stratum = -1;
  uint64_t sync_events = 0;
  std::optional<int64_t> daemon_offset_us;
  std::string likely_timezone;               // "UTC+09:00" for status timezone?
  std::optional<double> residual_offset_ms;  // offset minus the zone error
  std::string likely_cause;                  // "timezone", "year" or ""
  std::string status;
  std::vector<std::string> conditions;  // kCond* that hold

  nlohmann::json ToJson() const;
};

// `server_max_error_ns` (the server clock's own maximum error) is added to the uncertainty.
SourceReport MakeReport(const SourceState& s, const Thresholds& t, int64_t server_max_error_ns,
                        int64_t now_ns);

// "UTC+09:00", "UTC-03:30", "UTC".
std::string FormatUtcOffset(int64_t seconds);
// RFC 3339 UTC with milliseconds; "" for 0.
std::string FormatTime(int64_t ns);

}  // namespace kiroku::timewatch

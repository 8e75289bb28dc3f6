#include "timewatch/status.h"

#include <cmath>
#include <cstdio>
#include <ctime>

namespace kiroku::timewatch {

namespace {
constexpr int64_t kHalfHourNs = 1'800'000'000'000;
constexpr int64_t kHourNs = 3'600'000'000'000;
constexpr int64_t kDayNs = 86'400'000'000'000;
constexpr int64_t kYearNs = 365 * kDayNs;

double Ms(int64_t ns) { return std::round(static_cast<double>(ns) / 1e3) / 1e3; }
}  // namespace

int64_t Thresholds::SilentAfter(const SourceState& s) const {
  for (const std::string& k : {s.host, s.address, s.ObserverType()}) {
    if (k.empty()) continue;
    if (auto it = silent_after_by.find(k); it != silent_after_by.end()) return it->second;
  }
  return silent_after_ns;
}

nlohmann::json Thresholds::ToJson() const {
  return {{"offset_ns", offset_ns},
          {"drift_ppm", drift_ppm},
          {"sync_max_age_ns", sync_max_age_ns},
          {"silent_after_ns", silent_after_ns},
          {"silent_after_by", silent_after_by},
          {"zone_tolerance_ns", zone_tolerance_ns}};
}

Thresholds Thresholds::FromJson(const nlohmann::json& j) {
  Thresholds t;
  t.offset_ns = j.value("offset_ns", t.offset_ns);
  t.drift_ppm = j.value("drift_ppm", t.drift_ppm);
  t.sync_max_age_ns = j.value("sync_max_age_ns", t.sync_max_age_ns);
  t.silent_after_ns = j.value("silent_after_ns", t.silent_after_ns);
  if (j.contains("silent_after_by")) {
    t.silent_after_by = j["silent_after_by"].get<std::map<std::string, int64_t>>();
  }
  t.zone_tolerance_ns = j.value("zone_tolerance_ns", t.zone_tolerance_ns);
  return t;
}

std::string FormatUtcOffset(int64_t seconds) {
  if (seconds == 0) return "UTC";
  char buf[32];
  const int64_t a = std::llabs(seconds);
  std::snprintf(buf, sizeof buf, "UTC%c%02lld:%02lld", seconds < 0 ? '-' : '+',
                static_cast<long long>(a / 3600), static_cast<long long>(a % 3600 / 60));
  return buf;
}

std::string FormatTime(int64_t ns) {
  if (ns == 0) return "";
  time_t secs = static_cast<time_t>(ns / 1'000'000'000);
  int64_t ms = ns % 1'000'000'000 / 1'000'000;
  if (ns < 0 && ns % 1'000'000'000 != 0) {
    --secs;
    ms += 1000;
  }
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03lldZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<long long>(ms));
  return buf;
}

SourceReport MakeReport(const SourceState& s, const Thresholds& t, int64_t server_max_error_ns,
                        int64_t now_ns) {
  SourceReport r;
  r.host = s.host;
  r.address = s.address;
  r.messages = s.messages;
  r.first_seen_ns = s.first_seen_ns;
  r.last_seen_ns = s.last_seen_ns;
  for (unsigned i = 0; i < 8; ++i) {
    if (s.transports & (1u << i)) {
      r.transports.emplace_back(TransportName(static_cast<Transport>(i)));
    }
  }
  r.observer_type = s.ObserverType();
  r.last_sync_ns = s.last_sync_ns;
  r.sync_state = s.sync_state;
  r.time_server = s.time_server;
  r.stratum = s.stratum;
  r.sync_events = s.sync_events;
  r.daemon_offset_us = s.daemon_offset_us;

  const Estimate e = s.est.Current();
  r.drift_ppm = e.drift_ppm;
  r.steps = e.steps;
  int64_t offset = 0;
  if (e.valid) {
    offset = e.offset_ns;
    // Moved on by the drift to the last message: what the clock is now, as far as known.
    if (e.drift_ppm && s.last_seen_ns > e.at_ns) {
      offset +=
          static_cast<int64_t>(*e.drift_ppm * 1e-6 * static_cast<double>(s.last_seen_ns - e.at_ns));
    }
    r.offset_ms = Ms(offset);
    r.uncertainty_ms = Ms(e.uncertainty_ns + std::max<int64_t>(server_max_error_ns, 0));
    r.precision_ms = Ms(e.precision_ns);
  }

  bool timezone = false;
  if (e.valid) {
    const int64_t units = (offset >= 0 ? offset + kHalfHourNs / 2 : offset - kHalfHourNs / 2) /
                          kHalfHourNs;  // nearest multiple of 30 min
    const int64_t residual = offset - units * kHalfHourNs;
    const bool zone_less = s.zone_unknown * 2 >= s.timed && s.zone_unknown > 0;
    const int64_t year_units =
        (offset >= 0 ? offset + kYearNs / 2 : offset - kYearNs / 2) / kYearNs;
    if (zone_less && std::llabs(offset) >= kHourNs - t.zone_tolerance_ns &&
        std::llabs(residual) <= t.zone_tolerance_ns && std::llabs(units) <= int64_t{2} * 26) {
      timezone = true;
      r.likely_cause = "timezone";
      r.likely_timezone = FormatUtcOffset(s.assumed_utc_offset_s + units * 1800);
      r.residual_offset_ms = Ms(residual);
    } else if (year_units != 0 && std::llabs(offset - year_units * kYearNs) <= 2 * kDayNs) {
      r.likely_cause = "year";
    }
  }

  if (e.valid && std::llabs(offset) > t.offset_ns) r.conditions.push_back(kCondOffset);
  if (r.drift_ppm && std::fabs(*r.drift_ppm) > t.drift_ppm) r.conditions.push_back(kCondDrift);
  const int64_t sync_ref = s.last_sync_ns != 0 ? s.last_sync_ns : s.first_seen_ns;
  const bool sync_missing = now_ns - sync_ref >= t.sync_max_age_ns;
  if (sync_missing) r.conditions.push_back(kCondSyncMissing);
  const bool silent = now_ns - s.last_seen_ns >= t.SilentAfter(s);
  if (silent) r.conditions.push_back(kCondSilent);

  if (silent) {
    r.status = "silent";
  } else if (timezone) {
    r.status = "timezone?";
  } else if (s.sync_state == "lost") {
    r.status = "unsynced";
  } else if (e.valid && std::llabs(offset) > t.offset_ns) {
    r.status = "offset";
  } else if (r.drift_ppm && std::fabs(*r.drift_ppm) > t.drift_ppm) {
    r.status = "drifting";
  } else if (sync_missing) {
    r.status = "no-sync-log";
  } else {
    r.status = "ok";
  }
  return r;
}

nlohmann::json SourceReport::ToJson() const {
  auto opt = [](const std::optional<double>& v) -> nlohmann::json {
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
  };
  auto str = [](const std::string& v) -> nlohmann::json {
    return v.empty() ? nlohmann::json(nullptr) : nlohmann::json(v);
  };
  nlohmann::json j = nlohmann::json::object();
  j["host"] = host;
  j["address"] = address;
  j["messages"] = messages;
  j["first_seen"] = str(FormatTime(first_seen_ns));
  j["last_seen"] = str(FormatTime(last_seen_ns));
  j["observer_type"] = str(observer_type);
  j["clock_offset_ms"] = opt(offset_ms);
  j["clock_offset_uncertainty_ms"] = opt(uncertainty_ms);
  j["drift_ppm"] =
      drift_ppm ? nlohmann::json(std::round(*drift_ppm * 100) / 100) : nlohmann::json(nullptr);
  j["last_sync"] = str(FormatTime(last_sync_ns));
  j["time_server"] = str(time_server);
  j["status"] = status;
  j["transports"] = transports;
  j["precision_ms"] = opt(precision_ms);
  j["stratum"] = stratum >= 0 ? nlohmann::json(stratum) : nlohmann::json(nullptr);
  j["sync_state"] = str(sync_state);
  j["sync_events"] = sync_events;
  j["clock_steps"] = steps;
  j["daemon_offset_us"] =
      daemon_offset_us ? nlohmann::json(*daemon_offset_us) : nlohmann::json(nullptr);
  j["likely_cause"] = str(likely_cause);
  j["likely_timezone"] = str(likely_timezone);
  j["residual_offset_ms"] = opt(residual_offset_ms);
  j["conditions"] = conditions;
  return j;
}

}  // namespace kiroku::timewatch

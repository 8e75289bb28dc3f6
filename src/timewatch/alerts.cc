#include "timewatch/alerts.h"

#include <fmt/format.h>

#include <cmath>
#include <map>

namespace kiroku::timewatch {

namespace {
constexpr double kClearFraction = 0.9;

std::string Key(const std::string& cond, const std::string& host, const std::string& address) {
  return cond + "\n" + host + "\n" + address;
}

std::string Num(double v) { return fmt::format("{:.3f}", v); }

bool Holds(const SourceReport& r, const std::string& cond, bool active, const Thresholds& t) {
  const double off_ms = r.offset_ms.value_or(0);
  if (cond == kCondOffset) {
    if (!r.offset_ms) return active;  // no estimate: no change
    const double lim = static_cast<double>(t.offset_ns) / 1e6 * (active ? kClearFraction : 1.0);
    return std::fabs(off_ms) > lim;
  }
  if (cond == kCondDrift) {
    if (!r.drift_ppm) return active && !(r.steps > 0);  // a step restarts the fit
    const double lim = t.drift_ppm * (active ? kClearFraction : 1.0);
    return std::fabs(*r.drift_ppm) > lim;
  }
  for (const std::string& c : r.conditions) {
    if (c == cond) return true;
  }
  return false;
}

std::string Describe(const SourceReport& r, const std::string& cond, bool cleared,
                     const Thresholds& t, std::vector<std::pair<std::string, std::string>>* d) {
  const std::string who = r.host.empty() ? r.address : r.host + " (" + r.address + ")";
  if (r.offset_ms) {
    d->emplace_back("offset_ms", Num(*r.offset_ms));
    d->emplace_back("uncertainty_ms", Num(r.uncertainty_ms.value_or(0)));
  }
  if (r.drift_ppm) d->emplace_back("drift_ppm", fmt::format("{:.2f}", *r.drift_ppm));
  if (!r.likely_timezone.empty()) d->emplace_back("likely_timezone", r.likely_timezone);
  d->emplace_back("last_seen", FormatTime(r.last_seen_ns));
  if (r.last_sync_ns) d->emplace_back("last_sync", FormatTime(r.last_sync_ns));
  if (!r.observer_type.empty()) d->emplace_back("observer_type", r.observer_type);
  if (cond == kCondOffset) {
    d->emplace_back("threshold_ms", Num(static_cast<double>(t.offset_ns) / 1e6));
    if (cleared) return fmt::format("clock offset of {} back within the threshold", who);
    return fmt::format("clock of {} is off by {} ms (threshold {} ms){}", who,
                       Num(r.offset_ms.value_or(0)), Num(static_cast<double>(t.offset_ns) / 1e6),
                       r.likely_timezone.empty()
                           ? ""
                           : "; likely a time-zone misconfiguration (" + r.likely_timezone + ")");
  }
  if (cond == kCondDrift) {
    d->emplace_back("threshold_ppm", fmt::format("{:.2f}", t.drift_ppm));
    if (cleared) return fmt::format("clock drift of {} back within the threshold", who);
    return fmt::format("clock of {} drifts {:.2f} ppm (threshold {:.2f} ppm)", who,
                       r.drift_ppm.value_or(0), t.drift_ppm);
  }
  if (cond == kCondSyncMissing) {
    d->emplace_back("max_age_s", std::to_string(t.sync_max_age_ns / 1'000'000'000));
    if (cleared) return fmt::format("{} logged a time-sync event again", who);
    return fmt::format("{} logged no time-sync event for {} s", who,
                       t.sync_max_age_ns / 1'000'000'000);
  }
  if (cond == kCondSilent) {
    if (cleared) return fmt::format("{} sends again", who);
    return fmt::format("{} sent nothing since {}", who, FormatTime(r.last_seen_ns));
  }
  return cond;
}
}  // namespace

evidence::AuditEvent Alert::ToAuditEvent() const {
  evidence::AuditEvent e;
  e.msgid = msgid();
  e.severity = cleared ? evidence::kSeverityNotice : evidence::kSeverityWarning;
  if (!host.empty() || !address.empty()) {
    e.params.emplace_back("source_host", host);
    e.params.emplace_back("source_address", address);
  }
  if (!status.empty()) e.params.emplace_back("status", status);
  for (const auto& p : details) e.params.push_back(p);
  e.message = message;
  return e;
}

nlohmann::json Alert::ToJson() const {
  nlohmann::json j = {
      {"alert", msgid()}, {"cleared", cleared}, {"time", FormatTime(at_ns)}, {"message", message}};
  if (!host.empty() || !address.empty()) {
    j["host"] = host;
    j["address"] = address;
  }
  if (!status.empty()) j["status"] = status;
  for (const auto& [k, v] : details) j[k] = v;
  return j;
}

std::vector<std::pair<std::string, int>> TimeServers(const std::vector<SourceReport>& reports) {
  std::map<std::string, int> n;
  for (const SourceReport& r : reports) {
    if (!r.time_server.empty()) ++n[r.time_server];
  }
  return {n.begin(), n.end()};
}

std::vector<Alert> AlertTracker::Evaluate(const std::vector<SourceReport>& reports,
                                          const Thresholds& t, int64_t now_ns) {
  std::vector<Alert> out;
  std::set<std::string> seen;
  for (const SourceReport& r : reports) {
    for (const char* cond : {kCondSilent, kCondOffset, kCondDrift, kCondSyncMissing}) {
      const std::string key = Key(cond, r.host, r.address);
      seen.insert(key);
      const bool active = active_.contains(key);
      // A silent source keeps its other alerts as they are until it speaks again.
      if (cond != std::string(kCondSilent) && r.status == "silent") continue;
      const bool holds = Holds(r, cond, active, t);
      if (holds == active) continue;
      Alert a;
      a.condition = cond;
      a.cleared = !holds;
      a.host = r.host;
      a.address = r.address;
      a.status = r.status;
      a.at_ns = now_ns;
      a.message = Describe(r, cond, a.cleared, t, &a.details);
      if (holds) {
        active_.insert(key);
      } else {
        active_.erase(key);
      }
      out.push_back(std::move(a));
    }
  }
  // Fleet: one time server for everyone.
  const auto servers = TimeServers(reports);
  const std::string fleet = Key(kCondSingleTimeServer, "", "");
  seen.insert(fleet);
  const bool single = servers.size() == 1;
  if (single != active_.contains(fleet)) {
    Alert a;
    a.condition = kCondSingleTimeServer;
    a.cleared = !single;
    a.at_ns = now_ns;
    if (single) {
      a.details.emplace_back("time_server", servers[0].first);
      a.details.emplace_back("sources", std::to_string(servers[0].second));
      a.message = fmt::format(
          "every source that logs its time sync uses the one time server {}: configure a second "
          "(G-I.1)",
          servers[0].first);
      active_.insert(fleet);
    } else {
      a.details.emplace_back("time_servers", std::to_string(servers.size()));
      a.message = fmt::format("{} time servers in use", servers.size());
      active_.erase(fleet);
    }
    out.push_back(std::move(a));
  }
  // Alerts of sources no longer known (a renamed grouping) are dropped quietly.
  std::erase_if(active_, [&](const std::string& k) { return !seen.contains(k); });
  return out;
}

}  // namespace kiroku::timewatch

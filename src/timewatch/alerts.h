// AlertTracker: turns the conditions of the sources' reports into alerts that fire once when a
// condition starts and once ("...-cleared") when it ends. Offset and drift clear only below 90%
// of their threshold, so a source hovering at the threshold does not flap. Also the fleet
// condition `time-server-single`: every synced source uses the same one time server (G-I.1 asks
// for more than one).
//
//   AlertTracker alerts;
//   for (const Alert& a : alerts.Evaluate(reports, thresholds, now)) audit(a.ToAuditEvent());
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "evidence/audit_log.h"
#include "timewatch/status.h"

namespace kiroku::timewatch {

inline constexpr char kCondSingleTimeServer[] = "time-server-single";

struct Alert {
  std::string condition;  // kCond*
  bool cleared = false;
  std::string host;  // empty for fleet conditions
  std::string address;
  std::string status;
  std::vector<std::pair<std::string, std::string>> details;
  std::string message;
  int64_t at_ns = 0;

  std::string msgid() const { return cleared ? condition + "-cleared" : condition; }
  evidence::AuditEvent ToAuditEvent() const;
  nlohmann::json ToJson() const;  // for webhooks
};

class AlertTracker {
 public:
  std::vector<Alert> Evaluate(const std::vector<SourceReport>& reports, const Thresholds& t,
                              int64_t now_ns);
  // Active alerts as "condition\nhost\naddress", persisted so a restart does not fire again.
  const std::set<std::string>& active() const { return active_; }
  void Restore(std::set<std::string> active) { active_ = std::move(active); }

 private:
  std::set<std::string> active_;
};

// The distinct time servers of the synced sources, with how many use each.
std::vector<std::pair<std::string, int>> TimeServers(const std::vector<SourceReport>& reports);

}  // namespace kiroku::timewatch

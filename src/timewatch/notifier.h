// Notifier: sends clock-watch alerts outside the log, best effort: an HTTP POST of the alert's
// JSON to a webhook URL, and/or an RFC 5424 message over UDP to a syslog receiver. Failures are
// counted (kiroku_clock_notify_failures_total) and logged, never retried: the alert is in the
// log regardless.
//
//   Notifier n({.webhook = "http://127.0.0.1:9000/hook", .syslog = "127.0.0.1:514"}, &metrics);
//   n.Send(alert);
#pragma once

#include <string>

#include "common/metrics.h"
#include "common/status.h"
#include "timewatch/alerts.h"

namespace kiroku::timewatch {

struct NotifierOptions {
  std::string webhook;  // http://HOST[:PORT]/PATH, or empty
  std::string syslog;   // HOST:PORT (UDP), or empty
};

class Notifier {
 public:
  Notifier(NotifierOptions options, Metrics* metrics);
  // Checks the two targets.
  static Status Validate(const NotifierOptions& options);
  bool enabled() const { return !options_.webhook.empty() || !options_.syslog.empty(); }
  void Send(const Alert& alert);

 private:
  Status PostWebhook(const std::string& body);
  Status SendSyslog(const std::string& line);
  NotifierOptions options_;
  Counter* sent_ = nullptr;
  Counter* failed_ = nullptr;
};

}  // namespace kiroku::timewatch

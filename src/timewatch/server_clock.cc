#include "timewatch/server_clock.h"

namespace kiroku::timewatch {

ServerClockWatch::ServerClockWatch(const integrity::signing::ClockSyncSource& source,
                                   Metrics* metrics)
    : source_(source) {
  if (metrics == nullptr) return;
  // kiroku_clock_synced is also the head issuer's (the same reading): a callback gauge of the
  // same name replaces, never duplicates, the series.
  synced_gauge_ = &metrics->GetGauge("kiroku_clock_watch_synced",
                                     "1 when the clock watch last read the server clock synced");
  Gauge* sg = synced_gauge_;
  metrics->AddCallbackGauge("kiroku_clock_synced",
                            "1 if the kernel reports the clock NTP-synchronised (adjtimex), else 0",
                            {}, [sg] { return static_cast<double>(sg->value()); });
  max_error_gauge_us_ = &metrics->GetGauge("kiroku_clock_max_error_microseconds",
                                           "The kernel's maximum error of the server clock");
  est_error_gauge_us_ = &metrics->GetGauge("kiroku_clock_est_error_microseconds",
                                           "The kernel's estimated error of the server clock");
  changes_ = &metrics->GetCounter("kiroku_clock_sync_changes_total",
                                  "Changes of the server clock between synced and unsynced");
  Gauge* g = max_error_gauge_us_;
  metrics->AddCallbackGauge("kiroku_clock_max_error_seconds",
                            "The kernel's maximum error of the server clock, in seconds", {},
                            [g] { return static_cast<double>(g->value()) / 1e6; });
}

std::optional<ServerClockChange> ServerClockWatch::Poll(int64_t now_ns) {
  const integrity::signing::ClockSyncState s = source_.Read();
  const bool first = !known_;
  const bool changed = first || s.synced != state_.synced;
  state_ = s;
  known_ = true;
  checked_ns_ = now_ns;
  if (synced_gauge_) {
    synced_gauge_->Set(s.synced ? 1 : 0);
    max_error_gauge_us_->Set(s.max_error_us);
    est_error_gauge_us_->Set(s.est_error_us);
  }
  if (!changed) return std::nullopt;
  const bool open = !unsynced_.empty() && unsynced_.back().second == 0;
  if (!s.synced && !open) {
    unsynced_.emplace_back(now_ns, 0);
    if (unsynced_.size() > kMaxIntervals) unsynced_.erase(unsynced_.begin());
  } else if (s.synced && open) {
    unsynced_.back().second = now_ns;
  }
  if (!first && changes_) changes_->Add();
  return ServerClockChange{first, s, now_ns};
}

nlohmann::json ServerClockWatch::ToJson() const {
  nlohmann::json iv = nlohmann::json::array();
  for (const auto& [a, b] : unsynced_) iv.push_back({a, b});
  return {{"known", known_},
          {"synced", state_.synced},
          {"max_error_us", state_.max_error_us},
          {"est_error_us", state_.est_error_us},
          {"status", state_.status},
          {"checked_ns", checked_ns_},
          {"unsynced_intervals", std::move(iv)}};
}

void ServerClockWatch::RestoreIntervals(const nlohmann::json& j) {
  if (!j.contains("unsynced_intervals")) return;
  const int64_t last_check = j.value("checked_ns", int64_t{0});
  for (const auto& p : j["unsynced_intervals"]) {
    int64_t a = p.at(0).get<int64_t>();
    int64_t b = p.at(1).get<int64_t>();
    if (b == 0) b = std::max(last_check, a);
    unsynced_.emplace_back(a, b);
  }
}

}  // namespace kiroku::timewatch

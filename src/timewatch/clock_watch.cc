#include "timewatch/clock_watch.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <map>

namespace kiroku::timewatch {

namespace {
constexpr const char* kStatuses[] = {"ok",       "offset", "drifting", "no-sync-log",
                                     "unsynced", "silent", "timezone?"};
constexpr const char* kConditions[] = {kCondOffset, kCondDrift, kCondSyncMissing, kCondSilent,
                                       kCondSingleTimeServer};

// The history keeps what the corrector needs, not every window: a window is written when it is
// the source's first (since start), follows a step, its offset moved by more than its
// uncertainty (at least 1 ms) since the last line written for the source, or its uncertainty
// is less than half the last line's. The corrector interpolates between lines, so between two
// lines the offset is known to within the uncertainty. A steady source writes a few lines and
// then none (every corrected search reads the whole file: an hourly line per source made it
// ~9 million lines a year for 1,000 sources); a drifting one gets a line whenever it has moved.
constexpr int64_t kHistoryMinMoveNs = 1'000'000;

bool HistoryWorthWriting(const SourceState& s, const WindowEstimate& w) {
  if (!s.history_written || w.step_before) return true;
  if (w.uncertainty_ns < s.history_uncertainty_ns / 2) return true;
  const int64_t move = w.offset_ns > s.history_offset_ns ? w.offset_ns - s.history_offset_ns
                                                         : s.history_offset_ns - w.offset_ns;
  return move > std::max(w.uncertainty_ns, kHistoryMinMoveNs);
}

nlohmann::json HistoryLine(const SourceState& s, const WindowEstimate& w) {
  return {{"host", s.host},
          {"address", s.address},
          {"start_ns", w.start_ns},
          {"end_ns", w.end_ns},
          {"at_ns", w.at_ns},
          {"offset_ns", w.offset_ns},
          {"uncertainty_ns", w.uncertainty_ns},
          {"precision_ns", w.precision_ns},
          {"samples", w.samples},
          {"step", w.step_before}};
}

EstimatorOptions EstimatorFromJson(const nlohmann::json& j) {
  EstimatorOptions o;
  o.window_ns = j.value("window_ns", o.window_ns);
  return o;
}
}  // namespace

StatusOr<SourcesView> ViewFromSnapshot(std::string_view json, int64_t now_ns) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(json);
  } catch (const std::exception& e) {
    return Status::Corruption(std::string("timewatch snapshot is not JSON: ") + e.what());
  }
  if (j.value("format", "") != kSnapshotFormat) {
    return Status::Corruption("timewatch snapshot has an unknown format");
  }
  try {
    SourcesView v;
    const nlohmann::json& settings = j.at("settings");
    const Thresholds t = Thresholds::FromJson(settings.at("thresholds"));
    const EstimatorOptions eo = EstimatorFromJson(settings);
    v.server_clock = j.value("server_clock", nlohmann::json::object());
    v.written_ns = j.value("written_ns", int64_t{0});
    const int64_t server_err = v.server_clock.value("synced", false)
                                   ? v.server_clock.value("max_error_us", int64_t{0}) * 1000
                                   : 0;
    for (const auto& sj : j.at("sources")) {
      v.sources.push_back(MakeReport(SourceState::FromJson(sj, eo), t, server_err, now_ns));
    }
    v.time_servers = TimeServers(v.sources);
    return v;
  } catch (const std::exception& e) {
    return Status::Corruption(std::string("timewatch snapshot: ") + e.what());
  }
}

ClockWatch::ClockWatch(Fs& fs, const Clock& clock, Metrics* metrics,
                       const integrity::signing::ClockSyncSource& sync, ClockWatchOptions options)
    : fs_(fs),
      clock_(clock),
      metrics_(metrics),
      options_(std::move(options)),
      notifier_(options_.notify, metrics),
      table_(options_.estimator, options_.grouping),
      server_(sync, metrics) {
  if (metrics_) {
    observed_counter_ = &metrics_->GetCounter("kiroku_clock_records_observed_total",
                                              "Records the clock watch looked at");
    sources_gauge_ = &metrics_->GetGauge("kiroku_clock_sources", "Sources the clock watch knows");
  }
}

ClockWatch::~ClockWatch() { Stop(); }

Status ClockWatch::Load() {
  KIROKU_RETURN_IF_ERROR(fs_.CreateDirs(options_.dir));
  const std::string path = JoinPath(options_.dir, kSnapshotFile);
  StatusOr<std::string> text = fs_.ReadFile(path);
  if (text.ok()) {
    try {
      nlohmann::json j = nlohmann::json::parse(*text);
      std::lock_guard lock(mu_);
      const bool same_grouping =
          j.at("settings").value("grouping", "") == GroupingName(options_.grouping);
      if (same_grouping) {
        for (const auto& sj : j.at("sources")) {
          SourceState s = SourceState::FromJson(sj, options_.estimator);
          std::string key = options_.grouping == Grouping::kHost && !s.host.empty() ? s.host
                            : options_.grouping == Grouping::kHostAddress
                                ? s.host + "\n" + s.address
                                : "\n" + s.address;
          table_.mutable_sources()[key] = std::move(s);
        }
        std::set<std::string> active;
        for (const auto& a : j.value("alerts_active", nlohmann::json::array())) {
          active.insert(a.get<std::string>());
        }
        alerts_.Restore(std::move(active));
      } else {
        spdlog::warn("clock watch: source grouping changed; starting the source table afresh");
      }
      server_.RestoreIntervals(j.value("server_clock", nlohmann::json::object()));
    } catch (const std::exception& e) {
      spdlog::warn("clock watch: {} unreadable ({}); starting afresh", path, e.what());
    }
  } else if (text.status().code() != Status::Code::kNotFound) {
    spdlog::warn("clock watch: cannot read {}: {}", path, text.status().ToString());
  }
  auto h = fs_.OpenAppendable(JoinPath(options_.dir, kHistoryFile));
  if (!h.ok()) return h.status();
  std::lock_guard lock(mu_);
  history_ = std::move(*h);
  return Status::Ok();
}

std::function<void(const RecordView&)> ClockWatch::Observer() {
  return [this](const RecordView& r) { Observe(r); };
}

void ClockWatch::Observe(const RecordView& r) {
  std::lock_guard lock(mu_);
  if (table_.Observe(r, normalizer_, zones_)) {
    ++observed_;
    if (observed_counter_) observed_counter_->Add();
  }
}

int64_t ClockWatch::ServerErrorNsLocked() const {
  return server_.known() && server_.state().synced ? server_.state().max_error_us * 1000 : 0;
}

std::vector<SourceReport> ClockWatch::ReportsLocked(int64_t now_ns) const {
  std::vector<SourceReport> out;
  out.reserve(table_.sources().size());
  const int64_t err = ServerErrorNsLocked();
  for (const auto& [key, s] : table_.sources()) {
    out.push_back(MakeReport(s, options_.thresholds, err, now_ns));
  }
  return out;
}

std::vector<SourceReport> ClockWatch::Reports() const {
  std::lock_guard lock(mu_);
  return ReportsLocked(clock_.NowNs());
}

nlohmann::json ClockWatch::SnapshotLocked(int64_t now_ns) const {
  nlohmann::json sources = nlohmann::json::array();
  for (const auto& [key, s] : table_.sources()) sources.push_back(s.ToJson());
  nlohmann::json active = nlohmann::json::array();
  for (const std::string& a : alerts_.active()) active.push_back(a);
  return {{"format", kSnapshotFormat},
          {"written", FormatTime(now_ns)},
          {"written_ns", now_ns},
          {"settings",
           {{"grouping", GroupingName(options_.grouping)},
            {"window_ns", options_.estimator.window_ns},
            {"thresholds", options_.thresholds.ToJson()}}},
          {"server_clock", server_.ToJson()},
          {"alerts_active", std::move(active)},
          {"sources", std::move(sources)}};
}

std::string ClockWatch::SnapshotJson() const {
  std::lock_guard lock(mu_);
  return SnapshotLocked(clock_.NowNs()).dump();
}

void ClockWatch::Tick() {
  const int64_t now = clock_.NowNs();
  std::optional<ServerClockChange> change;
  std::vector<Alert> alerts;
  std::string history;
  std::string snapshot;
  std::map<std::string, int> by_status;
  std::map<std::string, int> active;
  {
    std::lock_guard lock(mu_);
    change = server_.Poll(now);
    table_.CloseDue(now);
    for (auto& [key, s] : table_.mutable_sources()) {
      for (const WindowEstimate& w : s.est.TakeClosed()) {
        if (!HistoryWorthWriting(s, w)) continue;
        s.history_written = true;
        s.history_offset_ns = w.offset_ns;
        s.history_uncertainty_ns = w.uncertainty_ns;
        history += HistoryLine(s, w).dump();
        history += '\n';
      }
    }
    const std::vector<SourceReport> reports = ReportsLocked(now);
    for (const SourceReport& r : reports) ++by_status[r.status];
    alerts = alerts_.Evaluate(reports, options_.thresholds, now);
    for (const std::string& k : alerts_.active()) ++active[k.substr(0, k.find('\n'))];
    if (observed_ != written_observed_ || !alerts.empty() || change || !history.empty()) {
      snapshot = SnapshotLocked(now).dump();
      written_observed_ = observed_;
    }
    if (!history.empty() && history_) {
      if (Status s = history_->Append(history); !s.ok()) {
        spdlog::warn("clock watch: cannot append to the offset history: {}", s.ToString());
      }
    }
    if (sources_gauge_) sources_gauge_->Set(static_cast<int64_t>(table_.sources().size()));
  }
  if (metrics_) {
    for (const char* st : kStatuses) {
      metrics_
          ->GetGauge("kiroku_clock_sources_by_status", "Sources per clock-watch status",
                     {{"status", st}})
          .Set(by_status[st]);
    }
    for (const char* c : kConditions) {
      metrics_
          ->GetGauge("kiroku_clock_alerts_active", "Clock-watch alerts now active", {{"alert", c}})
          .Set(active[c]);
    }
  }
  // The first reading of a run is in the start record (serve passes it as start parameters);
  // only changes become records of their own.
  if (change && change->first) {
    spdlog::log(change->state.synced ? spdlog::level::info : spdlog::level::warn,
                "clock watch: server clock {} (max error {} us)",
                change->state.synced ? "synchronised" : "NOT synchronised",
                change->state.max_error_us);
  } else if (change) {
    const auto& st = change->state;
    evidence::AuditEvent e;
    e.msgid = st.synced ? kAuditServerClockSynced : kAuditServerClockUnsynced;

    e.severity = st.synced ? evidence::kSeverityNotice : evidence::kSeverityWarning;
    e.params = {{"synced", st.synced ? "true" : "false"},
                {"max_error_us", std::to_string(st.max_error_us)},
                {"est_error_us", std::to_string(st.est_error_us)},
                {"status", std::to_string(st.status)}};
    e.message = st.synced ? "server clock synchronised"
                          : "server clock NOT synchronised: receive times are marked unsynced";
    if (st.synced) {
      spdlog::info("clock watch: {} (max error {} us)", e.message, st.max_error_us);
    } else {
      spdlog::warn("clock watch: {}", e.message);
    }
    if (audit_) audit_(std::move(e));
  }
  for (const Alert& a : alerts) {
    if (metrics_) {
      metrics_
          ->GetCounter("kiroku_clock_alerts_total", "Clock-watch alerts raised and cleared",
                       {{"alert", a.msgid()}})
          .Add();
    }
    spdlog::log(a.cleared ? spdlog::level::info : spdlog::level::warn, "clock watch: {}",
                a.message);
    if (audit_) audit_(a.ToAuditEvent());
    if (notifier_.enabled()) notifier_.Send(a);
  }
  if (!snapshot.empty()) {
    if (Status s = fs_.WriteFileAtomic(JoinPath(options_.dir, kSnapshotFile), snapshot); !s.ok()) {
      spdlog::warn("clock watch: cannot write the snapshot: {}", s.ToString());
    }
  }
}

void ClockWatch::Start() {
  Tick();
  std::lock_guard lock(thread_mu_);
  if (started_) return;
  started_ = true;
  thread_ = std::thread([this] { Run(); });
}

void ClockWatch::Run() {
  std::unique_lock lock(thread_mu_);
  while (!stopping_) {
    cv_.wait_for(lock, std::chrono::nanoseconds(options_.check_interval_ns),
                 [&] { return stopping_; });
    if (stopping_) break;
    lock.unlock();
    Tick();
    lock.lock();
  }
}

void ClockWatch::Stop() {
  bool was_started = false;
  {
    std::lock_guard lock(thread_mu_);
    if (stopping_) return;
    stopping_ = true;
    was_started = started_;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (!was_started) return;
  {
    std::lock_guard lock(mu_);
    written_observed_ = ~uint64_t{0};  // always write the last one
  }
  Tick();
  std::lock_guard lock(mu_);
  if (history_) {
    (void)history_->Sync();
    (void)history_->Close();
    history_.reset();
  }
}

}  // namespace kiroku::timewatch

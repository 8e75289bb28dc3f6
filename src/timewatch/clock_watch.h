// ClockWatch: the server's clock watch (issue 6, G-I.1). It sees every committed record through
// the tree builder's record hook (Observe, cheap: header fields, and the normalisers on possible
// time-sync lines), and once per check interval (Tick, on its own thread, time from Clock):
// reads the server's own clock state, closes the windows of quiet sources and appends them to
// the offset history, raises and clears alerts (self-audit records from host `kiroku`, metrics,
// optional webhook/syslog), and atomically replaces the snapshot DATA/timewatch/sources.json that
// `kiroku sources --data` and the corrected timeline read (docs/formats/timewatch.md).
//
//   ClockWatch watch(fs, clock, &metrics, clock_sync, options);
//   watch.SetNormalizer(normalizer.get());
//   watch.SetAuditSink(audit_sink);
//   KIROKU_RETURN_IF_ERROR(watch.Load());
//   tree->SetRecordHook(watch.Observer());
//   watch.Start();  ...  watch.Stop();
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/fs.h"
#include "common/metrics.h"
#include "common/record.h"
#include "common/status.h"
#include "evidence/audit_log.h"
#include "integrity/signing/clock_sync.h"
#include "timewatch/alerts.h"
#include "timewatch/notifier.h"
#include "timewatch/server_clock.h"
#include "timewatch/source.h"
#include "timewatch/status.h"

namespace kiroku::normalize {
class Normalizer;
}
namespace kiroku::syslog {
class ZoneRules;
}

namespace kiroku::timewatch {

inline constexpr char kSnapshotFile[] = "sources.json";
inline constexpr char kHistoryFile[] = "offsets.jsonl";
inline constexpr char kSnapshotFormat[] = "kiroku-timewatch-1";

// Self-audit MSGIDs of changes of the server's own clock (the source alerts use the kCond*
// names). The state at start is in the start record (clock_synced, clock_max_error_us).
inline constexpr char kAuditServerClockSynced[] = "server-clock-synced";
inline constexpr char kAuditServerClockUnsynced[] = "server-clock-unsynced";

struct ClockWatchOptions {
  std::string dir;  // DATA/timewatch
  EstimatorOptions estimator;
  Grouping grouping = Grouping::kHostAddress;
  Thresholds thresholds;
  int64_t check_interval_ns = 5'000'000'000;
  NotifierOptions notify;
};

// What a snapshot says, with the reports computed at `now_ns`.
// NOLINTNEXTLINE(bugprone-exception-escape): nlohmann::json's special members may throw.
struct SourcesView {
  std::vector<SourceReport> sources;
  std::vector<std::pair<std::string, int>> time_servers;
  nlohmann::json server_clock;
  int64_t written_ns = 0;
};
StatusOr<SourcesView> ViewFromSnapshot(std::string_view json, int64_t now_ns);

class ClockWatch {
 public:
  // `metrics` may be null.
  ClockWatch(Fs& fs, const Clock& clock, Metrics* metrics,
             const integrity::signing::ClockSyncSource& sync, ClockWatchOptions options);
  ~ClockWatch();  // Stop()s
  ClockWatch(const ClockWatch&) = delete;
  ClockWatch& operator=(const ClockWatch&) = delete;

  // REQUIRES: before Start. Each may be left unset.
  void SetNormalizer(const normalize::Normalizer* n) { normalizer_ = n; }
  void SetZones(const syslog::ZoneRules* z) { zones_ = z; }
  void SetAuditSink(evidence::AuditSink sink) { audit_ = std::move(sink); }

  // Creates the directory and restores the state of the previous run from the snapshot.
  Status Load();
  // For TreeBuilder::SetRecordHook.
  std::function<void(const RecordView&)> Observer();
  void Observe(const RecordView& r);
  // One round (see the top). The thread calls it every check interval; tests call it.
  void Tick();
  // The first Tick, then the thread.
  void Start();
  // Stops the thread and writes the snapshot a last time. Idempotent.
  void Stop();

  // The snapshot JSON as of now (GET /api/sources answers it).
  std::string SnapshotJson() const;
  std::vector<SourceReport> Reports() const;

 private:
  nlohmann::json SnapshotLocked(int64_t now_ns) const;  // REQUIRES: mu_ held
  std::vector<SourceReport> ReportsLocked(int64_t now_ns) const;
  int64_t ServerErrorNsLocked() const;
  void Run();

  Fs& fs_;
  const Clock& clock_;
  Metrics* metrics_;
  ClockWatchOptions options_;
  const normalize::Normalizer* normalizer_ = nullptr;
  const syslog::ZoneRules* zones_ = nullptr;
  evidence::AuditSink audit_;
  Notifier notifier_;

  mutable std::mutex mu_;  // everything below
  SourceTable table_;
  ServerClockWatch server_;
  AlertTracker alerts_;
  uint64_t observed_ = 0;
  uint64_t written_observed_ = ~uint64_t{0};
  std::unique_ptr<WritableFile> history_;

  Counter* observed_counter_ = nullptr;
  Gauge* sources_gauge_ = nullptr;

  std::mutex thread_mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool started_ = false;
  std::thread thread_;
};

}  // namespace kiroku::timewatch

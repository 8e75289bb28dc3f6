// StorePipeline: a data directory opened for writing, as `kiroku serve` and `kiroku import`
// both need it. Open() holds the data-directory lock and brings up, in this order: the signing
// keys (so a key problem stops everything before the log is touched), the Merkle tile store,
// the journal committer (recovering a torn tail), the tree (restored from its tiles, checked to
// extend the latest signed head), the start record of the self-audit log, the audit thread, and
// the head issuer with its witnesses. Shutdown() writes the stop record, lets the tree catch up,
// issues the final head, drains the witnesses and stops the committer, in that order, so the
// final signed head covers every record including the stop record.
//
//   auto lock = DataDirLock::Acquire(data);                 // after fs.CreateDirs(data)
//   StorePipelineOptions o;  o.data = data;
//   int exit_code = 0;
//   auto p = StorePipeline::Open(fs, clock, metrics, o, std::move(*lock), &exit_code);
//   if (!p.ok()) return exit_code;                           // already logged
//   (*p)->committer().TrySubmit(batch, done);
//   (*p)->Shutdown();
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "cli/data_dir_lock.h"
#include "common/clock.h"
#include "common/fs.h"
#include "common/metrics.h"
#include "common/record.h"
#include "common/status.h"
#include "evidence/audit_log.h"
#include "store/committer.h"

namespace kiroku::evidence {
class TreeBuilder;
class HeadIssuer;
class WitnessSender;
}  // namespace kiroku::evidence
namespace kiroku::integrity::signing {
class KeyState;
class HeadStore;
class ClockSyncSource;
}  // namespace kiroku::integrity::signing

namespace kiroku::cli {

inline constexpr char kVersion[] = "0.1.0";

struct StorePipelineOptions {
  std::string data;                         // DATA; must exist (the caller holds its lock)
  bool integrity = true;                    // false: no tree, no heads (measuring only)
  int64_t commit_interval_ns = 20'000'000;  // CommitterOptions
  size_t batch_max_bytes = 1 << 20;
  size_t queue_max_bytes = 16 << 20;
  uint64_t segment_max_bytes = 64ull << 20;
  int64_t segment_max_age_ns = 0;    // CommitterOptions::segment_max_age_ns (the sealer's)
  std::function<void()> on_rotated;  // CommitterOptions::on_rotated (wakes the sealer)
  bool sync = true;
  std::vector<std::string> witness;  // --witness targets (file or URL)
  // SHA-256 of the settings, for the start record and DATA/config-digest (a change since the
  // previous start becomes a config-change record). Empty: neither (kiroku import).
  std::string config_digest;
  // Appended to the start record's parameters (e.g. {"command", "import"}).
  std::vector<std::pair<std::string, std::string>> start_params;
  // Called on the tree builder's thread with every record committed from now on (the clock
  // watch); see TreeBuilder::SetRecordHook. Unused with integrity off.
  std::function<void(const RecordView&)> record_hook;
};

class StorePipeline {
 public:
  // Logs what went wrong (spdlog::error) and sets *exit_code: 2 for a usage-like error (bad
  // --witness, key file permissions), 1 otherwise.
  static StatusOr<std::unique_ptr<StorePipeline>> Open(Fs& fs, const Clock& clock, Metrics& metrics,
                                                       const StorePipelineOptions& options,
                                                       std::unique_ptr<DataDirLock> lock,
                                                       int* exit_code);
  ~StorePipeline();  // Abort()s unless Shutdown() ran
  StorePipeline(const StorePipeline&) = delete;
  StorePipeline& operator=(const StorePipeline&) = delete;

  store::Committer& committer() { return *committer_; }
  evidence::AuditLog& audit() { return *audit_; }
  evidence::AuditSink audit_sink();
  evidence::TreeBuilder* tree() { return tree_.get(); }  // null with integrity off
  const std::string& journal_dir() const { return journal_dir_; }

  // Runs `fn` at the start of Shutdown()/Abort(), in reverse order of registration (the sealer
  // registers its Stop here).
  void AddBeforeShutdown(std::function<void()> fn) { before_shutdown_.push_back(std::move(fn)); }

  // The orderly stop: stop record, final head covering it, witnesses drained, committer
  // stopped. Idempotent.
  void Shutdown();
  // Start-up failed after Open (a port in use): stop without a stop record or final head.
  void Abort();

 private:
  StorePipeline(Fs& fs, const Clock& clock, Metrics& metrics, StorePipelineOptions options);

  Fs& fs_;
  const Clock& clock_;
  Metrics& metrics_;
  StorePipelineOptions options_;
  std::string journal_dir_;
  std::unique_ptr<DataDirLock> lock_;
  std::unique_ptr<integrity::signing::ClockSyncSource> clock_sync_;
  std::unique_ptr<integrity::signing::KeyState> keys_;
  std::unique_ptr<evidence::TreeBuilder> tree_;
  std::unique_ptr<integrity::signing::HeadStore> heads_;
  std::unique_ptr<store::Committer> committer_;
  std::unique_ptr<evidence::AuditLog> audit_;
  std::unique_ptr<evidence::HeadIssuer> issuer_;
  std::vector<std::unique_ptr<evidence::WitnessSender>> witnesses_;
  std::vector<std::function<void()>> before_shutdown_;
  bool stopped_ = false;
};

}  // namespace kiroku::cli

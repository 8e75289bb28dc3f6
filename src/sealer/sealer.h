// Sealer: turns closed journal segments into sealed segments (segment/), off the hot path.
//
// For each journal segment that is no longer active (the committer rotated past it on size or
// age), in seq order: decode its records, normalise and correlate them (the correlator lives
// across segments, bounded), collect their term keys (index/terms.h) per block of 1024 records
// aligned to seq multiples of 1024 (four Merkle groups), write the sealed segment through
// SegmentWriter (tmp, fsync, rename, dir fsync, 0444), and only then delete the journal segment.
// A crash at any step leaves the journal segment, or the sealed segment, or both (start-up then
// deletes the journal copy): never neither, and never a half file that is trusted.
//
// Failures: an I/O error (disk full) is logged loudly, counted, and the segment is tried again
// after retry_ns; a damaged journal segment (a frame that fails its CRC, a hole in the seqs) is
// refused, logged once at error level, left in the journal for `kiroku verify` to name, and the
// sealer goes on with the next segment.
//
//   Sealer sealer(fs, clock, metrics, options);
//   sealer.Start();            // thread; wakes when the committer rotates, and every second
//   sealer.Wake();             // CommitterOptions::on_rotated
//   sealer.Stop();             // abandons a segment half written (its temporary is removed)
//   Status s = SealAll(fs, clock, options);   // kiroku import: seal everything, active included
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "common/clock.h"
#include "common/fs.h"
#include "common/metrics.h"
#include "common/status.h"

namespace kiroku::sealer {

struct SealerOptions {
  std::string data_dir;
  int zstd_level = 3;
  uint32_t block_records = 1024;
  int64_t poll_ns = 1'000'000'000;    // look for closed segments at least this often
  int64_t retry_ns = 30'000'000'000;  // after a failed attempt, wait this long
  // Called after a journal segment of `bytes` was deleted (Committer::SegmentRemoved).
  std::function<void(uint64_t bytes)> on_journal_removed;
};

// Removes sealing temporaries and closed journal segments whose whole range a sealed segment
// holds (a crash between the rename of the sealed file and the journal deletion). The newest
// journal segment is never removed: its name is where numbering resumes.
Status RecoverSealing(Fs& fs, const SealerOptions& options);

// Rotates the journal (the newest segment, if it holds records, is closed and an empty one
// named by the next seq started) and seals every closed segment. For `kiroku import`, which
// owns the data directory while it runs. REQUIRES: no server is running on it.
Status SealAll(Fs& fs, const Clock& clock, const SealerOptions& options);

class SegmentSealer;

class Sealer {
 public:
  Sealer(Fs& fs, const Clock& clock, Metrics& metrics, SealerOptions options);
  ~Sealer();  // Stop()s
  Sealer(const Sealer&) = delete;
  Sealer& operator=(const Sealer&) = delete;

  // Loads the normalisation settings (DATA/normalize.json) and starts the thread.
  Status Start();
  // Look for closed segments now (thread-safe, cheap).
  void Wake();
  // Stops the thread; a segment being sealed is abandoned (its temporary removed) and its
  // journal segment kept. Idempotent.
  void Stop();

  // Segments sealed since Start (for tests).
  uint64_t segments_sealed() const { return segments_sealed_.load(); }

 private:
  struct Metrics;
  void Run();
  // One pass over the closed segments; false when it should back off (an I/O failure).
  bool SealClosed();

  Fs& fs_;
  const Clock& clock_;
  const SealerOptions options_;
  std::unique_ptr<Metrics> metrics_;
  std::unique_ptr<SegmentSealer> sealer_;
  std::set<uint64_t> refused_;  // journal segments found damaged (by first seq)

  std::mutex mu_;
  std::condition_variable cv_;
  bool wake_ = false;
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> segments_sealed_{0};
  std::thread thread_;
};

}  // namespace kiroku::sealer

// Committer::Impl, shared by the two halves of the committer: committer.cc (the producer
// side: submission, back-pressure, shutdown) and internal/committer_writer.cc (the writer
// thread: group, write, sync, acknowledge, retry). Nothing outside those files includes it.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "store/committer.h"
#include "store/committer_metrics.h"
#include "store/journal_writer.h"
#include "store/recovery.h"

namespace kiroku::store {
namespace internal {

// A submitted batch until it is durable.
struct PendingBatch {
  std::string frames;  // RecordBatch::buf_, moved in
  size_t count = 0;
  DurableCallback done;
  int64_t arrival_ns = 0;  // Clock::MonotonicNs() at submission; starts the commit window
  bool urgent = false;     // a SubmitAndWait caller is blocked on it
};

}  // namespace internal

class Committer::Impl {
 public:
  // Takes over the recovered journal and starts the writer thread.
  Impl(Fs& fs, const Clock& clock, Metrics& metrics, CommitterOptions options,
       RecoveredJournal rec);
  ~Impl() { Stop(); }

  bool TrySubmit(RecordBatch& batch, DurableCallback done);
  void NotifyWhenSpace(std::function<void()> fn);
  Status SubmitAndWait(RecordBatch& batch);
  SeqNo last_durable() const { return SeqNo{last_durable_.load()}; }
  bool writable() const { return writable_.load(); }
  void SegmentRemoved(uint64_t bytes);
  void Stop();

 private:
  bool HasRoomLocked(size_t bytes) const {
    return queued_bytes_ == 0 || queued_bytes_ + bytes <= options_.queue_max_bytes;
  }
  bool SpaceWaitersRunnableLocked() const {
    return !space_waiters_.empty() && queued_bytes_ <= options_.queue_max_bytes / 2;
  }
  void EnqueueLocked(RecordBatch& batch, DurableCallback done, bool urgent);

  // Writer thread.
  void Run();
  void RunSpaceWaiters(std::unique_lock<std::mutex>& lock);
  void WaitForWindow(std::unique_lock<std::mutex>& lock);
  // Age rotation (CommitterOptions::segment_max_age_ns).
  bool AgeRotationDue() const;
  void WaitIdle(std::unique_lock<std::mutex>& lock);
  Status Rotate();
  void TakeGroupLocked();
  Status WriteGroup();
  void Committed(std::unique_lock<std::mutex>& lock);
  void Failed(const Status& s, std::unique_lock<std::mutex>& lock);
  void FailEverything(const Status& s, std::unique_lock<std::mutex>& lock);

  const Clock& clock_;
  const CommitterOptions options_;
  CommitterMetrics metrics_;

  std::mutex mu_;
  std::condition_variable cv_;                // wakes the writer
  std::condition_variable space_cv_;          // wakes SubmitAndWait callers waiting for room
  std::deque<internal::PendingBatch> queue_;  // submitted, not yet taken by the writer
  size_t queued_bytes_ = 0;                   // queue_ + group_: everything not yet durable
  size_t unwritten_bytes_ = 0;                // queue_ only
  size_t urgent_ = 0;                         // urgent batches in queue_
  std::vector<std::function<void()>> space_waiters_;
  bool stop_ = false;

  // Writer thread only.
  std::vector<internal::PendingBatch> group_;  // taken, being written; kept across failed attempts
  std::vector<std::string_view> parts_;
  JournalWriter writer_;
  uint64_t next_seq_;
  std::atomic<uint64_t> closed_bytes_;  // bytes in segments other than the active one
  int64_t active_since_ns_ = -1;        // MonotonicNs of the active segment's first record
  bool failing_ = false;
  int64_t backoff_ns_ = 0;
  int64_t failing_since_ns_ = 0;
  uint64_t failed_attempts_ = 0;

  std::atomic<uint64_t> last_durable_;
  std::atomic<bool> writable_{true};
  std::mutex join_mu_;
  std::thread thread_;
};

}  // namespace kiroku::store

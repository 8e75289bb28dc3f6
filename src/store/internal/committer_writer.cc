// The committer's writer thread. One loop: wait for a batch, hold the group open for the
// commit window (or less, when a SubmitAndWait caller waits or enough bytes are pending),
// stamp seqs, write the group with one pwritev, fdatasync, then acknowledge in order. A failed
// write is cut back to the last durable size and retried with backoff; the group keeps its
// seqs, so the retried bytes are identical to what a concurrent reader may have glimpsed.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "store/internal/committer_impl.h"
#include "store/journal_format.h"
#include "store/record_codec.h"

namespace kiroku::store {
namespace {

constexpr int64_t kMaxBackoffNs = 5'000'000'000;

}  // namespace

void Committer::Impl::Run() {
  std::unique_lock lock(mu_);
  while (true) {
    RunSpaceWaiters(lock);
    if (group_.empty()) {
      if (queue_.empty()) {
        if (stop_) break;
        if (AgeRotationDue()) {
          lock.unlock();
          Status s = Rotate();
          lock.lock();
          if (!s.ok()) {
            spdlog::error("journal: rotating {} (age limit) failed: {}; retrying",
                          writer_.active_path(), s.ToString());
            cv_.wait_for(lock, std::chrono::nanoseconds(options_.retry_backoff_ns));
          }
          continue;
        }
        WaitIdle(lock);
        continue;
      }
      WaitForWindow(lock);
      TakeGroupLocked();
    }
    lock.unlock();
    Status s = WriteGroup();
    lock.lock();
    if (s.ok()) {
      Committed(lock);
    } else {
      Failed(s, lock);
    }
  }
  lock.unlock();
  if (Status s = writer_.Close(); !s.ok()) spdlog::error("journal: close: {}", s.ToString());
}

void Committer::Impl::RunSpaceWaiters(std::unique_lock<std::mutex>& lock) {
  if (!SpaceWaitersRunnableLocked()) return;
  std::vector<std::function<void()>> fns;
  fns.swap(space_waiters_);
  lock.unlock();
  for (auto& fn : fns) fn();
  lock.lock();
}

void Committer::Impl::WaitForWindow(std::unique_lock<std::mutex>& lock) {
  while (!stop_ && urgent_ == 0 && unwritten_bytes_ < options_.batch_max_bytes) {
    int64_t remaining =
        queue_.front().arrival_ns + options_.commit_interval_ns - clock_.MonotonicNs();
    if (remaining <= 0) return;
    // The wait itself is real time; a FakeClock that stands still makes it one full window.
    if (cv_.wait_for(lock, std::chrono::nanoseconds(remaining)) == std::cv_status::timeout) {
      return;
    }
  }
}

// When the writer falls behind (a slow fdatasync), the next commit carries as much of the
// backlog as the active segment has room for (at least batch_max_bytes), so one sync serves as
// many records as possible while segments stay close to segment_max_bytes.
void Committer::Impl::TakeGroupLocked() {
  const uint64_t room =
      writer_.size() < options_.segment_max_bytes ? options_.segment_max_bytes - writer_.size() : 0;
  const uint64_t limit = room > options_.batch_max_bytes ? room : options_.batch_max_bytes;
  size_t bytes = 0;
  while (!queue_.empty() && (group_.empty() || bytes + queue_.front().frames.size() <= limit)) {
    internal::PendingBatch& p = queue_.front();
    bytes += p.frames.size();
    unwritten_bytes_ -= p.frames.size();
    if (p.urgent) --urgent_;
    group_.push_back(std::move(p));
    queue_.pop_front();
  }
}

bool Committer::Impl::AgeRotationDue() const {
  return options_.segment_max_age_ns > 0 && active_since_ns_ >= 0 &&
         writer_.size() > journal::kFileHeaderSize && !writer_.needs_repair() &&
         clock_.MonotonicNs() - active_since_ns_ >= options_.segment_max_age_ns;
}

// Idle: sleep until a batch arrives or the active segment comes of age. The wait is real time
// and capped at a second, so a FakeClock moved forward is noticed too.
void Committer::Impl::WaitIdle(std::unique_lock<std::mutex>& lock) {
  if (options_.segment_max_age_ns <= 0 || active_since_ns_ < 0) {
    cv_.wait(lock);
    return;
  }
  int64_t remaining = active_since_ns_ + options_.segment_max_age_ns - clock_.MonotonicNs();
  remaining = std::clamp<int64_t>(remaining, 1'000'000, 1'000'000'000);
  cv_.wait_for(lock, std::chrono::nanoseconds(remaining));
}

Status Committer::Impl::Rotate() {
  const uint64_t old_size = writer_.size();
  KIROKU_RETURN_IF_ERROR(writer_.Rotate(SeqNo{next_seq_}));
  closed_bytes_ += old_size;
  active_since_ns_ = -1;
  metrics_.segments.Add(1);
  metrics_.journal_bytes.Set(static_cast<int64_t>(closed_bytes_ + writer_.size()));
  if (options_.on_rotated) options_.on_rotated();
  return Status::Ok();
}

Status Committer::Impl::WriteGroup() {
  if (writer_.needs_repair()) KIROKU_RETURN_IF_ERROR(writer_.Repair());
  if ((writer_.size() >= options_.segment_max_bytes && writer_.size() > journal::kFileHeaderSize) ||
      AgeRotationDue()) {
    KIROKU_RETURN_IF_ERROR(Rotate());
  }
  parts_.clear();
  uint64_t seq = next_seq_;
  for (internal::PendingBatch& p : group_) {
    seq += SealFrames(p.frames.data(), p.frames.size(), SeqNo{seq});
    parts_.emplace_back(p.frames);
  }
  const uint64_t before = writer_.size();
  KIROKU_RETURN_IF_ERROR(writer_.Append(parts_));
  if (options_.sync) {
    const int64_t t0 = clock_.MonotonicNs();
    KIROKU_RETURN_IF_ERROR(writer_.Sync());
    metrics_.fsync_seconds.Observe(static_cast<double>(clock_.MonotonicNs() - t0) / 1e9);
  } else {
    writer_.MarkWritten();
  }
  metrics_.bytes_written.Add(writer_.size() - before);
  if (active_since_ns_ < 0) active_since_ns_ = clock_.MonotonicNs();
  return Status::Ok();
}

void Committer::Impl::Committed(std::unique_lock<std::mutex>& lock) {
  const uint64_t first = next_seq_;
  size_t records = 0;
  size_t bytes = 0;
  for (const internal::PendingBatch& p : group_) {
    records += p.count;
    bytes += p.frames.size();
  }
  next_seq_ += records;
  last_durable_.store(next_seq_ - 1);
  queued_bytes_ -= bytes;
  metrics_.queue_bytes.Add(-static_cast<int64_t>(bytes));
  metrics_.queue_depth.Add(-static_cast<int64_t>(records));
  metrics_.stored.Add(records);
  metrics_.commits.Add(1);
  metrics_.last_seq.Set(static_cast<int64_t>(next_seq_ - 1));
  metrics_.journal_bytes.Set(static_cast<int64_t>(closed_bytes_ + writer_.size()));
  if (failing_) {
    spdlog::warn(
        "journal: writes to {} succeed again after {} failed attempts over {:.1f} s; "
        "nothing was lost",
        writer_.active_path(), failed_attempts_,
        static_cast<double>(clock_.MonotonicNs() - failing_since_ns_) / 1e9);
    failing_ = false;
    writable_.store(true);
    metrics_.writable.Set(1);
  }
  std::vector<internal::PendingBatch> done;
  done.swap(group_);
  space_cv_.notify_all();
  lock.unlock();
  uint64_t seq = first;
  for (internal::PendingBatch& p : done) {
    if (p.done) p.done(Status::Ok(), SeqNo{seq}, SeqNo{seq + p.count - 1});
    seq += p.count;
  }
  if (options_.on_committed) {
    std::vector<std::string> frames;
    frames.reserve(done.size());
    for (internal::PendingBatch& p : done) frames.push_back(std::move(p.frames));
    options_.on_committed(SeqNo{first}, std::move(frames));
  }
  lock.lock();
}

void Committer::Impl::Failed(const Status& s, std::unique_lock<std::mutex>& lock) {
  metrics_.write_errors.Add(1);
  ++failed_attempts_;
  if (!failing_) {
    spdlog::error(
        "journal: writing {} failed: {}; {} bytes of records are held in memory, the "
        "segment is cut back to its last durable size ({} bytes), and the write is "
        "retried until it succeeds",
        writer_.active_path(), s.ToString(), queued_bytes_, writer_.durable_size());
    failing_ = true;
    failed_attempts_ = 1;
    failing_since_ns_ = clock_.MonotonicNs();
    backoff_ns_ = options_.retry_backoff_ns;
    writable_.store(false);
    metrics_.writable.Set(0);
  } else {
    spdlog::debug("journal: retry {} failed: {}", failed_attempts_, s.ToString());
  }
  lock.unlock();
  // Cut back now, not at the next attempt: no half record should sit in the file meanwhile.
  Status repaired = writer_.Repair();
  lock.lock();
  if (!repaired.ok()) spdlog::debug("journal: cutting back failed: {}", repaired.ToString());
  if (stop_) {
    FailEverything(s, lock);
    return;
  }
  cv_.wait_for(lock, std::chrono::nanoseconds(backoff_ns_), [&] { return stop_; });
  backoff_ns_ = std::min(backoff_ns_ * 2, kMaxBackoffNs);
}

void Committer::Impl::FailEverything(const Status& s, std::unique_lock<std::mutex>& lock) {
  std::vector<internal::PendingBatch> failed;
  failed.swap(group_);
  for (internal::PendingBatch& p : queue_) failed.push_back(std::move(p));
  queue_.clear();
  size_t records = 0;
  for (const internal::PendingBatch& p : failed) records += p.count;
  spdlog::error("journal: stopping with {} records that could not be written: {}", records,
                s.ToString());
  metrics_.queue_bytes.Add(-static_cast<int64_t>(queued_bytes_));
  metrics_.queue_depth.Add(-static_cast<int64_t>(records));
  queued_bytes_ = 0;
  unwritten_bytes_ = 0;
  urgent_ = 0;
  lock.unlock();
  for (internal::PendingBatch& p : failed) {
    if (p.done) p.done(s, SeqNo{}, SeqNo{});
  }
  lock.lock();
}

}  // namespace kiroku::store

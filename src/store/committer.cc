// The committer's producer side: submission, back-pressure and shutdown. The writer thread
// that drains the queue is internal/committer_writer.cc; Committer::Impl is shared between
// the two in internal/committer_impl.h.
#include "store/committer.h"

#include <utility>

#include "store/internal/committer_impl.h"
#include "store/journal_format.h"
#include "store/recovery.h"

namespace kiroku::store {

Committer::Impl::Impl(Fs& fs, const Clock& clock, Metrics& metrics, CommitterOptions options,
                      RecoveredJournal rec)
    : clock_(clock),
      options_(std::move(options)),
      metrics_(metrics),
      writer_(fs, clock, options_.journal_dir, rec.active_first, std::move(rec.active)),
      next_seq_(rec.next_seq.value),
      closed_bytes_(rec.journal_bytes - writer_.size()),
      last_durable_(rec.next_seq.value - 1) {
  metrics_.segments.Set(static_cast<int64_t>(rec.segments));
  metrics_.journal_bytes.Set(static_cast<int64_t>(rec.journal_bytes));
  metrics_.last_seq.Set(static_cast<int64_t>(last_durable_.load()));
  metrics_.writable.Set(1);
  if (writer_.size() > journal::kFileHeaderSize) active_since_ns_ = clock_.MonotonicNs();
  thread_ = std::thread([this] { Run(); });
}
bool Committer::Impl::TrySubmit(RecordBatch& batch, DurableCallback done) {
  std::lock_guard lock(mu_);
  if (stop_ || !HasRoomLocked(batch.bytes())) return false;
  EnqueueLocked(batch, std::move(done), /*urgent=*/false);
  return true;
}

void Committer::Impl::EnqueueLocked(RecordBatch& batch, DurableCallback done, bool urgent) {
  const bool was_idle = queue_.empty();
  const size_t bytes = batch.bytes();
  const size_t count = batch.count();
  queue_.push_back(internal::PendingBatch{std::move(batch.buf_), count, std::move(done),
                                          clock_.MonotonicNs(), urgent});
  batch.Clear();
  queued_bytes_ += bytes;
  metrics_.queue_bytes.Add(static_cast<int64_t>(bytes));
  metrics_.queue_depth.Add(static_cast<int64_t>(count));
  const bool crossed = unwritten_bytes_ < options_.batch_max_bytes &&
                       unwritten_bytes_ + bytes >= options_.batch_max_bytes;
  unwritten_bytes_ += bytes;
  if (urgent) ++urgent_;
  // Wake the writer only when it has a new reason to act; most submissions land while it is
  // busy writing or holding the window open anyway.
  if (was_idle || crossed || urgent) cv_.notify_one();
}

void Committer::Impl::NotifyWhenSpace(std::function<void()> fn) {
  std::lock_guard lock(mu_);
  if (stop_) return;  // nothing will drain any more; the caller learns of shutdown itself
  space_waiters_.push_back(std::move(fn));
  cv_.notify_one();
}

Status Committer::Impl::SubmitAndWait(RecordBatch& batch) {
  struct Waiter {
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;
    Status status;
  } w;
  {
    std::unique_lock lock(mu_);
    space_cv_.wait(lock, [&] { return stop_ || HasRoomLocked(batch.bytes()); });
    if (stop_) return Status::Unavailable("journal committer is stopped");
    EnqueueLocked(
        batch,
        [&w](const Status& s, SeqNo, SeqNo) {
          std::lock_guard g(w.mu);
          w.status = s;
          w.done = true;
          w.cv.notify_one();
        },
        /*urgent=*/true);
  }
  std::unique_lock g(w.mu);
  w.cv.wait(g, [&] { return w.done; });
  return w.status;
}

void Committer::Impl::SegmentRemoved(uint64_t bytes) {
  uint64_t closed = closed_bytes_.load();
  while (!closed_bytes_.compare_exchange_weak(closed, closed > bytes ? closed - bytes : 0)) {
  }
  metrics_.segments.Add(-1);
  metrics_.journal_bytes.Add(-static_cast<int64_t>(bytes));
}

void Committer::Impl::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
    cv_.notify_all();
    space_cv_.notify_all();
  }
  std::lock_guard join(join_mu_);
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

StatusOr<std::unique_ptr<Committer>> Committer::Open(Fs& fs, const Clock& clock, Metrics& metrics,
                                                     CommitterOptions options) {
  if (options.journal_dir.empty()) return Status::InvalidArgument("journal_dir is empty");
  if (options.batch_max_bytes == 0 || options.queue_max_bytes == 0 ||
      options.segment_max_bytes == 0 || options.retry_backoff_ns <= 0 ||
      options.segment_max_age_ns < 0) {
    return Status::InvalidArgument("committer limits must be positive");
  }
  auto rec = RecoverJournal(fs, clock, options.journal_dir);
  if (!rec.ok()) return rec.status();
  auto impl = std::make_unique<Impl>(fs, clock, metrics, std::move(options), std::move(*rec));
  return std::unique_ptr<Committer>(new Committer(std::move(impl)));
}

Committer::Committer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Committer::~Committer() { Stop(); }
bool Committer::TrySubmit(RecordBatch& batch, DurableCallback done) {
  return impl_->TrySubmit(batch, std::move(done));
}
void Committer::NotifyWhenSpace(std::function<void()> fn) { impl_->NotifyWhenSpace(std::move(fn)); }
Status Committer::SubmitAndWait(RecordBatch& batch) { return impl_->SubmitAndWait(batch); }
SeqNo Committer::last_durable() const { return impl_->last_durable(); }
bool Committer::writable() const { return impl_->writable(); }
void Committer::SegmentRemoved(uint64_t bytes) { impl_->SegmentRemoved(bytes); }
void Committer::Stop() { impl_->Stop(); }

}  // namespace kiroku::store

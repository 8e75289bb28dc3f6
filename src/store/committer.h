// Committer: the sequencer and group-commit writer of the journal.
//
// Ingest threads encode records into a RecordBatch (no sequence numbers yet) and submit it.
// One writer thread takes queued batches, assigns sequence numbers in submission order, appends
// the frames to the active journal segment, fdatasyncs, and only then reports the batch durable
// (the RELP acknowledgement waits for that). Batches are collected for at most commit_interval
// (default 20 ms) or until batch_max_bytes are pending, whichever comes first; a batch whose
// submitter waits for durability is committed without waiting for the window.
//
// Back-pressure: the queue holds at most queue_max_bytes. TrySubmit() refuses a batch when it is
// full (stream readers stop reading until NotifyWhenSpace fires; UDP counts a drop). A write or
// sync error (disk full, EIO) truncates the segment back to its last durable size, logs loudly,
// keeps the queued batches, and retries with backoff until writes succeed again.
//
//   auto c = Committer::Open(fs, clock, metrics, opts);
//   RecordBatch b;
//   b.Add(view);
//   if (!(*c)->TrySubmit(b, [](const Status& s, SeqNo first, SeqNo last) { ... })) { ... }
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/fs.h"
#include "common/metrics.h"
#include "common/record.h"
#include "common/status.h"

namespace kiroku::store {

// Records encoded by one producer, waiting for sequence numbers. Not thread-safe.
class RecordBatch {
 public:
  RecordBatch() = default;
  RecordBatch(const RecordBatch&) = delete;
  RecordBatch& operator=(const RecordBatch&) = delete;
  RecordBatch(RecordBatch&&) = default;
  RecordBatch& operator=(RecordBatch&&) = default;

  // Encodes one record (r.seq is ignored: the committer assigns it).
  void Add(const RecordView& r);
  size_t count() const { return count_; }
  size_t bytes() const { return buf_.size(); }
  bool empty() const { return count_ == 0; }
  void Clear() {
    buf_.clear();
    count_ = 0;
  }

 private:
  friend class Committer;
  std::string buf_;  // journal frames with seq and crc left to fill in
  size_t count_ = 0;
};

// Receives every durable group, in sequence order, on the writer thread: the journal frames
// (AppendFrame layout, seqs and CRCs filled in) starting at seq `first`. The buffers are moved
// in, so the observer (the Merkle tree builder) costs the writer no copy; it must return
// quickly (hand the buffers to its own thread).
using CommittedObserver = std::function<void(SeqNo first, std::vector<std::string>&& frames)>;

struct CommitterOptions {
  std::string journal_dir;                   // DATA/journal
  int64_t commit_interval_ns = 20'000'000;   // longest a record waits to be written
  size_t batch_max_bytes = 1 << 20;          // commit early when this much is pending
  size_t queue_max_bytes = 16 << 20;         // back-pressure threshold
  uint64_t segment_max_bytes = 64ull << 20;  // rotate the active segment past this
  // Rotate the active segment once its first record is this old (Clock::MonotonicNs), so the
  // sealer gets it even when traffic is light; 0 = size only. Checked before every commit and
  // while idle.
  int64_t segment_max_age_ns = 0;
  bool sync = true;                        // fdatasync before acknowledging
  int64_t retry_backoff_ns = 100'000'000;  // first retry after a write error; doubles to 5 s
  CommittedObserver on_committed;          // optional
  // Called on the writer thread after each rotation (the sealer wakes on it); must be quick.
  std::function<void()> on_rotated;
};

// Called on the writer thread once the batch is durable (or failed for good at shutdown).
using DurableCallback = std::function<void(const Status&, SeqNo first, SeqNo last)>;

class Committer {
 public:
  // Opens (creating if needed) the journal directory, recovers the active segment (cutting a
  // torn tail and reporting it in the server log), and starts the writer thread.
  static StatusOr<std::unique_ptr<Committer>> Open(Fs& fs, const Clock& clock, Metrics& metrics,
                                                   CommitterOptions options);
  ~Committer();  // Stop()s
  Committer(const Committer&) = delete;
  Committer& operator=(const Committer&) = delete;

  // Thread-safe, never blocks. Returns false (leaving `batch` untouched) when the queue is full;
  // on true, `batch` is emptied and `done` will be called once. Also false after Stop().
  bool TrySubmit(RecordBatch& batch, DurableCallback done = nullptr);
  // Runs `fn` once on the writer thread when the queue next has room. Thread-safe. After Stop()
  // `fn` is dropped without being run.
  void NotifyWhenSpace(std::function<void()> fn);
  // Blocks until the batch is durable; waits for queue space first. For RELP. Empties `batch`.
  // Unavailable after Stop(); the write error if the batch could not be written at shutdown.
  // Must not be called from a DurableCallback (it runs on the writer thread).
  Status SubmitAndWait(RecordBatch& batch);

  SeqNo last_durable() const;
  // False while writes fail (disk full, I/O error); the server's /healthz reports it.
  bool writable() const;
  // The sealer removed a closed segment of `bytes`: keeps kiroku_journal_bytes/_segments true.
  void SegmentRemoved(uint64_t bytes);
  // Commits everything queued, then stops the writer thread. Idempotent.
  void Stop();

 private:
  class Impl;
  explicit Committer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace kiroku::store

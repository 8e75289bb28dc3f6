// The sealer thread, start-up recovery and SealAll. The order of the steps is what makes a
// crash anywhere safe: SegmentWriter::Finish (tmp, fsync, rename, dir fsync, 0444), then the
// sealed twin is opened and checked, and only then is the journal segment removed and the
// journal directory fsynced. A crash before the rename leaves a temporary (removed at
// start-up) and the journal segment; after it, both (start-up removes the journal copy).
#include "sealer/sealer.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <vector>

#include "sealer/seal_segment.h"
#include "segment/sealed_segment.h"
#include "segment/segment_files.h"
#include "store/journal_files.h"
#include "store/journal_format.h"
#include "store/journal_writer.h"
#include "store/recovery.h"

namespace kiroku::sealer {
namespace {

std::string JournalDir(const SealerOptions& o) { return JoinPath(o.data_dir, "journal"); }
std::string SegmentsDir(const SealerOptions& o) {
  return JoinPath(o.data_dir, segment::kSegmentsDirName);
}

// Whether sealed segments that open hold every seq of [first, last]: only then may the journal
// copy go.
bool SealedTwinComplete(Fs& fs, const std::vector<segment::SealedFileInfo>& sealed, SeqNo first,
                        SeqNo last) {
  uint64_t pos = first.value;
  while (pos <= last.value) {
    auto it = std::find_if(sealed.begin(), sealed.end(), [&](const segment::SealedFileInfo& s) {
      return s.first.value <= pos && pos <= s.last.value;
    });
    if (it == sealed.end()) return false;
    auto seg = segment::SealedSegment::Open(fs, it->path);
    if (!seg.ok()) {
      spdlog::error("sealer: {} does not open ({}); the journal copy of seqs {}..{} is kept",
                    it->path, seg.status().ToString(), first.value, last.value);
      return false;
    }
    if ((*seg)->meta().first != it->first || (*seg)->meta().last != it->last) return false;
    pos = it->last.value + 1;
  }
  return true;
}

Status RemoveJournalSegment(Fs& fs, const SealerOptions& o, const store::SegmentInfo& seg,
                            uint64_t bytes) {
  KIROKU_RETURN_IF_ERROR(fs.Remove(seg.path));
  KIROKU_RETURN_IF_ERROR(fs.SyncDir(JournalDir(o)));
  if (o.on_journal_removed) o.on_journal_removed(bytes);
  return Status::Ok();
}

// Seals segs[i] (closed: segs[i + 1] exists) unless its twin is already there, then removes the
// journal copy.
StatusOr<SealResult> SealOne(Fs& fs, SegmentSealer& sealer, const SealerOptions& o,
                             const std::vector<store::SegmentInfo>& segs, size_t i,
                             const std::atomic<bool>* stop) {
  const store::SegmentInfo& seg = segs[i];
  const SeqNo next = segs[i + 1].first;
  auto sealed = segment::ListSealed(fs, SegmentsDir(o));
  if (!sealed.ok()) return sealed.status();
  SealResult r;
  if (SealedTwinComplete(fs, *sealed, seg.first, SeqNo{next.value - 1})) {
    auto size = fs.FileSize(seg.path);
    r.first = seg.first;
    r.last = SeqNo{next.value - 1};
    r.journal_bytes = size.ok() ? *size : 0;
  } else {
    auto sealed_now = sealer.Seal(seg, next, stop);
    if (!sealed_now.ok()) return sealed_now.status();
    r = std::move(*sealed_now);
    if (r.records > 0) {
      auto after = segment::ListSealed(fs, SegmentsDir(o));
      if (!after.ok()) return after.status();
      if (!SealedTwinComplete(fs, *after, r.first, r.last)) {
        return Status::IoError("sealed segment " + r.sealed_path + " is not there after Finish");
      }
    }
  }
  KIROKU_RETURN_IF_ERROR(RemoveJournalSegment(fs, o, seg, r.journal_bytes));
  return r;
}

}  // namespace

Status RecoverSealing(Fs& fs, const SealerOptions& options) {
  const std::string dir = SegmentsDir(options);
  auto names = fs.ListDir(dir);
  if (names.ok()) {
    bool removed = false;
    for (const std::string& name : *names) {
      if (!name.ends_with(segment::kTempSuffix)) continue;
      KIROKU_RETURN_IF_ERROR(fs.Remove(JoinPath(dir, name)));
      spdlog::warn("sealer: removed {} left by an interrupted sealing", JoinPath(dir, name));
      removed = true;
    }
    if (removed) KIROKU_RETURN_IF_ERROR(fs.SyncDir(dir));
  } else if (names.status().code() != Status::Code::kNotFound) {
    return names.status();
  }
  auto segs = store::ListSegments(fs, JournalDir(options));
  if (!segs.ok()) {
    return segs.status().code() == Status::Code::kNotFound ? Status::Ok() : segs.status();
  }
  auto sealed = segment::ListSealed(fs, dir);
  if (!sealed.ok()) return sealed.status();
  for (size_t i = 0; i + 1 < segs->size(); ++i) {
    const store::SegmentInfo& seg = (*segs)[i];
    const SeqNo last{(*segs)[i + 1].first.value - 1};
    if (!SealedTwinComplete(fs, *sealed, seg.first, last)) continue;
    auto size = fs.FileSize(seg.path);
    KIROKU_RETURN_IF_ERROR(RemoveJournalSegment(fs, options, seg, size.ok() ? *size : 0));
    spdlog::info("sealer: removed journal segment {} (seqs {}..{}), already sealed", seg.path,
                 seg.first.value, last.value);
  }
  return Status::Ok();
}

Status SealAll(Fs& fs, const Clock& clock, const SealerOptions& options) {
  KIROKU_RETURN_IF_ERROR(RecoverSealing(fs, options));
  const std::string journal = JournalDir(options);
  {
    auto rec = store::RecoverJournal(fs, clock, journal);
    if (!rec.ok()) return rec.status();
    const bool holds_records = rec->active->Size() > store::journal::kFileHeaderSize;
    KIROKU_RETURN_IF_ERROR(rec->active->Close());
    if (holds_records) {
      auto next = store::CreateSegment(fs, clock, journal, rec->next_seq);
      if (!next.ok()) return next.status();
      KIROKU_RETURN_IF_ERROR((*next)->Close());
    }
  }
  auto sealer = MakeSegmentSealer(fs, clock, options);
  if (!sealer.ok()) return sealer.status();
  auto segs = store::ListSegments(fs, journal);
  if (!segs.ok()) return segs.status();
  std::string refused;
  for (size_t i = 0; i + 1 < segs->size(); ++i) {
    auto r = SealOne(fs, **sealer, options, *segs, i, nullptr);
    if (r.ok()) continue;
    if (r.status().code() != Status::Code::kDataLoss) return r.status();
    spdlog::error("sealer: not sealing a damaged journal segment: {}", r.status().message());
    refused += (refused.empty() ? "" : "; ") + r.status().message();
  }
  if (!refused.empty())
    return Status::DataLoss("damaged journal segments left unsealed: " + refused);
  return Status::Ok();
}

struct Sealer::Metrics {
  explicit Metrics(kiroku::Metrics& m)
      : segments(m.GetCounter("kiroku_sealer_segments_total", "Journal segments sealed")),
        records(m.GetCounter("kiroku_sealer_records_total", "Records sealed")),
        io_errors(m.GetCounter("kiroku_sealer_errors_total",
                               "Sealing attempts that failed (retried later)", {{"reason", "io"}})),
        damaged(m.GetCounter("kiroku_sealer_errors_total",
                             "Sealing attempts that failed (retried later)",
                             {{"reason", "damaged"}})),
        lag(m.GetGauge("kiroku_sealer_lag_records",
                       "Records in closed journal segments not sealed yet")),
        refused(m.GetGauge("kiroku_sealer_refused_segments",
                           "Damaged journal segments the sealer leaves in the journal")),
        last_seq(m.GetGauge("kiroku_sealer_last_sealed_seq", "Last seq in a sealed segment")) {}
  Counter& segments;
  Counter& records;
  Counter& io_errors;
  Counter& damaged;
  Gauge& lag;
  Gauge& refused;
  Gauge& last_seq;
};

Sealer::Sealer(Fs& fs, const Clock& clock, kiroku::Metrics& metrics, SealerOptions options)
    : fs_(fs),
      clock_(clock),
      options_(std::move(options)),
      metrics_(std::make_unique<Metrics>(metrics)) {}

Sealer::~Sealer() { Stop(); }

Status Sealer::Start() {
  auto s = MakeSegmentSealer(fs_, clock_, options_);
  if (!s.ok()) return s.status();
  sealer_ = std::move(*s);
  thread_ = std::thread([this] { Run(); });
  return Status::Ok();
}

void Sealer::Wake() {
  std::lock_guard lock(mu_);
  wake_ = true;
  cv_.notify_one();
}

void Sealer::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
    cv_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
}

void Sealer::Run() {
  while (!stop_) {
    const bool ok = SealClosed();
    std::unique_lock lock(mu_);
    if (ok) {
      cv_.wait_for(lock, std::chrono::nanoseconds(options_.poll_ns),
                   [&] { return stop_.load() || wake_; });
    } else {
      // Backing off after a failure: rotations do not shorten the wait.
      cv_.wait_for(lock, std::chrono::nanoseconds(options_.retry_ns), [&] { return stop_.load(); });
    }
    wake_ = false;
  }
}

bool Sealer::SealClosed() {
  auto segs = store::ListSegments(fs_, JoinPath(options_.data_dir, "journal"));
  if (!segs.ok()) {
    metrics_->io_errors.Add(1);
    spdlog::error("sealer: cannot list the journal: {}", segs.status().ToString());
    return false;
  }
  int64_t lag = 0;
  for (size_t i = 0; i + 1 < segs->size(); ++i) {
    if (!refused_.count((*segs)[i].first.value)) {
      lag += static_cast<int64_t>((*segs)[i + 1].first.value - (*segs)[i].first.value);
    }
  }
  metrics_->lag.Set(lag);
  for (size_t i = 0; i + 1 < segs->size() && !stop_; ++i) {
    const store::SegmentInfo& seg = (*segs)[i];
    if (refused_.count(seg.first.value)) continue;
    const int64_t t0 = clock_.MonotonicNs();
    auto r = SealOne(fs_, *sealer_, options_, *segs, i, &stop_);
    if (!r.ok()) {
      if (stop_ && r.status().code() == Status::Code::kUnavailable) return true;
      if (r.status().code() == Status::Code::kDataLoss) {
        refused_.insert(seg.first.value);
        metrics_->damaged.Add(1);
        metrics_->refused.Set(static_cast<int64_t>(refused_.size()));
        spdlog::error(
            "sealer: journal segment {} is damaged and is NOT sealed: {}; it stays in the "
            "journal (kiroku verify names the damage) and sealing goes on with the next one",
            seg.path, r.status().message());
        continue;
      }
      metrics_->io_errors.Add(1);
      spdlog::error(
          "sealer: sealing {} failed: {}; the journal segment is kept and sealing is retried "
          "in {} s",
          seg.path, r.status().ToString(), options_.retry_ns / 1'000'000'000);
      return false;
    }
    const double secs = static_cast<double>(clock_.MonotonicNs() - t0) / 1e9;
    metrics_->segments.Add(1);
    metrics_->records.Add(r->records);
    metrics_->last_seq.Set(static_cast<int64_t>(r->last.value));
    lag -= static_cast<int64_t>(r->last.value - r->first.value + 1);
    metrics_->lag.Set(lag);
    segments_sealed_.fetch_add(1);
    spdlog::info("sealer: sealed seqs {}..{} ({} records, {} -> {} bytes) in {:.2f} s{}",
                 r->first.value, r->last.value, r->records, r->journal_bytes, r->sealed_bytes, secs,
                 r->sealed_path.empty() ? " (already sealed)" : "");
  }
  return true;
}

}  // namespace kiroku::sealer

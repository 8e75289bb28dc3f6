#include "store/journal_writer.h"

#include <spdlog/spdlog.h>

#include "store/journal_files.h"
#include "store/journal_format.h"
#include "store/segment_header.h"

namespace kiroku::store {

StatusOr<std::unique_ptr<WritableFile>> CreateSegment(Fs& fs, const Clock& clock,
                                                      const std::string& dir, SeqNo first) {
  const std::string path = SegmentPath(dir, first);
  auto file = fs.OpenAppendable(path);
  if (!file.ok()) return file.status();
  WritableFile& f = **file;
  // A leftover from an earlier failed attempt may hold part of a header; never frames.
  if (f.Size() > journal::kFileHeaderSize) {
    return Status::AlreadyExists("segment " + path + " already holds records");
  }
  KIROKU_RETURN_IF_ERROR(f.Truncate(0));
  KIROKU_RETURN_IF_ERROR(f.Append(EncodeSegmentHeader({first, clock.NowNs()})));
  KIROKU_RETURN_IF_ERROR(f.Sync());
  KIROKU_RETURN_IF_ERROR(fs.SyncDir(dir));
  return file;
}

JournalWriter::JournalWriter(Fs& fs, const Clock& clock, std::string dir, SeqNo active_first,
                             std::unique_ptr<WritableFile> active)
    : fs_(fs),
      clock_(clock),
      dir_(std::move(dir)),
      active_first_(active_first),
      path_(SegmentPath(dir_, active_first)),
      file_(std::move(active)),
      durable_(file_->Size()) {}

JournalWriter::~JournalWriter() { (void)Close(); }

uint64_t JournalWriter::size() const { return file_ ? file_->Size() : durable_; }

Status JournalWriter::Append(std::span<const std::string_view> parts) {
  if (!file_ || needs_repair_) return Status::IoError("journal segment " + path_ + " not open");
  Status s = file_->AppendV(parts);
  if (!s.ok()) needs_repair_ = true;
  return s;
}

Status JournalWriter::Sync() {
  if (!file_ || needs_repair_) return Status::IoError("journal segment " + path_ + " not open");
  Status s = file_->Sync();
  if (!s.ok()) {
    needs_repair_ = true;
    return s;
  }
  durable_ = file_->Size();
  return Status::Ok();
}

Status JournalWriter::Repair() {
  if (file_) {
    (void)file_->Close();
    file_.reset();
  }
  auto f = fs_.OpenAppendable(path_);
  if (!f.ok()) return f.status();
  if ((*f)->Size() != durable_) KIROKU_RETURN_IF_ERROR((*f)->Truncate(durable_));
  file_ = std::move(*f);
  needs_repair_ = false;
  return Status::Ok();
}

Status JournalWriter::Rotate(SeqNo first) {
  if (!file_ || needs_repair_) return Status::IoError("journal segment " + path_ + " not open");
  // The old segment is final from here on; readers treat only the newest as in progress.
  if (Status s = file_->Sync(); !s.ok()) {
    needs_repair_ = true;
    return s;
  }
  durable_ = file_->Size();
  auto next = CreateSegment(fs_, clock_, dir_, first);
  if (!next.ok()) {
    // Tidying only: nothing is appended to the old segment until a retried rotation
    // succeeds, and that retry (or recovery after a crash) rewrites a leftover's header.
    Status removed = fs_.Remove(SegmentPath(dir_, first));
    if (!removed.ok() && removed.code() != Status::Code::kNotFound) {
      spdlog::warn("journal: cannot remove half-made segment {}: {}", SegmentPath(dir_, first),
                   removed.ToString());
    }
    return next.status();
  }
  Status closed = file_->Close();
  if (!closed.ok()) spdlog::warn("journal: closing {}: {}", path_, closed.ToString());
  file_ = std::move(*next);
  active_first_ = first;
  path_ = SegmentPath(dir_, first);
  durable_ = file_->Size();
  return Status::Ok();
}

Status JournalWriter::Close() {
  if (!file_) return Status::Ok();
  Status s = file_->Close();
  file_.reset();
  return s;
}

}  // namespace kiroku::store

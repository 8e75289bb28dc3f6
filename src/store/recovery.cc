#include "store/recovery.h"

#include <spdlog/spdlog.h>

#include "store/journal_files.h"
#include "store/journal_format.h"
#include "store/journal_writer.h"
#include "store/record_codec.h"
#include "store/segment_header.h"
#include "store/segment_reader.h"

namespace kiroku::store {
namespace {

namespace j = journal;

// Where the whole, in-sequence records of a segment end.
struct ValidPrefix {
  uint64_t end = 0;       // offset just after the last whole record
  uint64_t last_seq = 0;  // its seq; first_seq - 1 when there is none
  std::string why;        // what is wrong at `end`, if the file goes on
};

// Reads frames from the header on and stops at the first one that is damaged, incomplete or
// out of sequence: a torn write leaves exactly such a tail, and keeping seqs dense matters
// more than keeping bytes in place (the cut bytes are saved, not lost).
StatusOr<ValidPrefix> FindValidPrefix(const RandomAccessFile& file, uint64_t size, SeqNo first) {
  SegmentReader reader(file, size, j::kFileHeaderSize);
  ValidPrefix v{j::kFileHeaderSize, first.value - 1, ""};
  while (true) {
    SegmentReader::Kind kind = reader.Next();
    if (kind == SegmentReader::Kind::kIoError) return reader.io_status();
    if (kind == SegmentReader::Kind::kEnd) return v;
    if (kind != SegmentReader::Kind::kFrame) {
      v.why = reader.why();
      return v;
    }
    uint64_t seq = PayloadSeq(reader.payload()).value;
    if (seq != v.last_seq + 1) {
      v.why =
          "seq " + std::to_string(seq) + " where " + std::to_string(v.last_seq + 1) + " was due";
      return v;
    }
    v.last_seq = seq;
    v.end = reader.position();
  }
}

// Counts intact frames from `from` on: a torn write has none, damage inside data that was
// already durable usually has some, and the operator should know which it was.
void CountIntactAfter(const RandomAccessFile& file, uint64_t size, uint64_t from, uint64_t* count,
                      uint64_t* first_seq, uint64_t* last_seq) {
  SegmentReader reader(file, size, from);
  *count = 0;
  while (true) {
    SegmentReader::Kind kind = reader.Next();
    if (kind == SegmentReader::Kind::kFrame) {
      uint64_t seq = PayloadSeq(reader.payload()).value;
      if ((*count)++ == 0) *first_seq = seq;
      *last_seq = seq;
    } else if (kind == SegmentReader::Kind::kBad || kind == SegmentReader::Kind::kIncomplete) {
      if (reader.Resync() >= reader.size()) return;
    } else {
      return;
    }
  }
}

// Copies file[from, size) to a new cut file in `dir`, durably. Returns its path.
StatusOr<std::string> SaveCut(Fs& fs, const std::string& dir, const RandomAccessFile& file,
                              SeqNo segment, uint64_t from, uint64_t size) {
  std::string bytes(size - from, '\0');
  auto got = file.Read(from, bytes.size(), bytes.data());
  if (!got.ok()) return got.status();
  bytes.resize(*got);
  std::string path = JoinPath(dir, CutFileName(segment, from));
  // A second crash at the same offset must not overwrite the first cut.
  for (int i = 1; fs.FileSize(path).ok(); ++i) {
    path = JoinPath(dir, CutFileName(segment, from) + "." + std::to_string(i));
  }
  KIROKU_RETURN_IF_ERROR(fs.WriteFileAtomic(path, bytes));
  return path;
}

// Saves and cuts newest[at, size), then syncs the segment.
Status Cut(Fs& fs, const std::string& dir, const SegmentInfo& seg, const RandomAccessFile& file,
           uint64_t size, uint64_t at, uint64_t last_seq, const std::string& why) {
  uint64_t intact = 0, intact_first = 0, intact_last = 0;
  CountIntactAfter(file, size, at, &intact, &intact_first, &intact_last);
  auto saved = SaveCut(fs, dir, file, seg.first, at, size);
  if (!saved.ok()) return saved.status();
  spdlog::warn(
      "journal: cut torn tail of {} at offset {}: {} bytes (after seq {}): {}; "
      "the cut bytes are saved in {}",
      seg.path, at, size - at, last_seq, why, *saved);
  if (intact > 0) {
    spdlog::error(
        "journal recovery: the bytes cut from {} hold {} intact records (seq {}..{}): "
        "this was damage inside written data, not only a torn write; they are kept "
        "in {}",
        seg.path, intact, intact_first, intact_last, *saved);
  }
  auto w = fs.OpenAppendable(seg.path);
  if (!w.ok()) return w.status();
  KIROKU_RETURN_IF_ERROR((*w)->Truncate(at));
  KIROKU_RETURN_IF_ERROR((*w)->Sync());
  return (*w)->Close();
}

}  // namespace

StatusOr<RecoveredJournal> RecoverJournal(Fs& fs, const Clock& clock, const std::string& dir) {
  KIROKU_RETURN_IF_ERROR(fs.CreateDirs(dir));
  auto segs = ListSegments(fs, dir);
  if (!segs.ok()) return segs.status();
  RecoveredJournal rec;
  if (segs->empty()) {
    auto f = CreateSegment(fs, clock, dir, SeqNo{1});
    if (!f.ok()) return f.status();
    rec.active_first = SeqNo{1};
    rec.active = std::move(*f);
    rec.next_seq = SeqNo{1};
    rec.segments = 1;
    rec.journal_bytes = j::kFileHeaderSize;
    return rec;
  }
  for (size_t i = 0; i + 1 < segs->size(); ++i) {
    auto size = fs.FileSize((*segs)[i].path);
    if (size.ok()) rec.journal_bytes += *size;
  }
  rec.segments = segs->size();

  const SegmentInfo& newest = segs->back();
  auto file = fs.OpenReadable(newest.path);
  if (!file.ok()) return file.status();
  auto size = (*file)->Size();
  if (!size.ok()) return size.status();

  rec.active_first = newest.first;
  rec.next_seq = newest.first;
  bool rewrite_header = *size < j::kFileHeaderSize;
  uint64_t cut_at = 0;
  std::string why = "incomplete file header";
  if (!rewrite_header) {
    std::string head(j::kFileHeaderSize, '\0');
    auto got = (*file)->Read(0, head.size(), head.data());
    if (!got.ok()) return got.status();
    SegmentHeader header;
    Status hs = DecodeSegmentHeader(head, &header);
    if (hs.code() == Status::Code::kInvalidArgument) {
      return Status::InvalidArgument(newest.path + ": " + hs.message() +
                                     "; refusing to append to it");
    }
    auto prefix = FindValidPrefix(**file, *size, newest.first);
    if (!prefix.ok()) return prefix.status();
    if (!hs.ok()) {
      // Keep a damaged header's frames where they are for the reader and start afresh after
      // them; with no frames there is nothing to keep and the header is rewritten.
      spdlog::error("journal recovery: {} has a damaged header ({})", newest.path, hs.message());
      if (prefix->end == j::kFileHeaderSize) {
        rewrite_header = true;
        why = "damaged file header";
      } else {
        rec.journal_bytes += *size;
        rec.next_seq = SeqNo{prefix->last_seq + 1};
        auto f = CreateSegment(fs, clock, dir, rec.next_seq);
        if (!f.ok()) return f.status();
        rec.active_first = rec.next_seq;
        rec.active = std::move(*f);
        rec.segments += 1;
        rec.journal_bytes += j::kFileHeaderSize;
        return rec;
      }
    } else if (prefix->end < *size) {
      KIROKU_RETURN_IF_ERROR(
          Cut(fs, dir, newest, **file, *size, prefix->end, prefix->last_seq, prefix->why));
      rec.bytes_cut = *size - prefix->end;
      cut_at = prefix->end;
    } else {
      cut_at = *size;
    }
    rec.next_seq = SeqNo{prefix->last_seq + 1};
  }
  if (rewrite_header) {
    if (*size > 0) {
      auto saved = SaveCut(fs, dir, **file, newest.first, 0, *size);
      if (!saved.ok()) return saved.status();
      spdlog::warn("journal: cut {} bytes from {} at offset 0: {}; saved in {}", *size, newest.path,
                   why, *saved);
      rec.bytes_cut = *size;
      // CreateSegment only rewrites a file no longer than a header.
      auto w = fs.OpenAppendable(newest.path);
      if (!w.ok()) return w.status();
      KIROKU_RETURN_IF_ERROR((*w)->Truncate(0));
    }
    auto f = CreateSegment(fs, clock, dir, newest.first);
    if (!f.ok()) return f.status();
    rec.active = std::move(*f);
    rec.next_seq = newest.first;
    rec.journal_bytes += j::kFileHeaderSize;
    return rec;
  }
  auto w = fs.OpenAppendable(newest.path);
  if (!w.ok()) return w.status();
  rec.active = std::move(*w);
  rec.journal_bytes += cut_at;
  return rec;
}

}  // namespace kiroku::store

#include "verify/journal_stream.h"

#include <algorithm>
#include <cstring>
#include <memory>

#include "integrity/frontier.h"
#include "integrity/leaf.h"
#include "segment/sealed_segment.h"
#include "segment/segment_files.h"
#include "store/journal_files.h"
#include "store/journal_format.h"
#include "store/record_codec.h"
#include "store/segment_header.h"

namespace kiroku::verify {
namespace {

namespace j = store::journal;

constexpr size_t kChunk = size_t{8} << 20;

uint32_t Fixed32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;  // little-endian hosts only, as the journal code assumes
}

// A window over one segment file that slides forward through a reused buffer.
class Window {
 public:
  Window(const RandomAccessFile& file, uint64_t size, std::string* buf)
      : file_(file), size_(size), buf_(*buf) {}

  // Bytes [off, off + n) of the file, or nullptr if they lie past its size or cannot be read.
  const char* At(uint64_t off, size_t n) {
    if (off + n > size_) return nullptr;
    if (off >= start_ && off + n <= start_ + len_) return buf_.data() + (off - start_);
    size_t want = std::max(kChunk, n);
    if (buf_.size() < want) buf_.resize(want);
    want = static_cast<size_t>(std::min<uint64_t>(buf_.size(), size_ - off));
    size_t got = 0;
    while (got < want) {
      auto r = file_.Read(off + got, want - got, buf_.data() + got);
      if (!r.ok() || *r == 0) break;
      got += *r;
    }
    start_ = off;
    len_ = got;
    if (got < n) {
      len_ = 0;
      return nullptr;
    }
    return buf_.data();
  }

 private:
  const RandomAccessFile& file_;
  uint64_t size_;
  std::string& buf_;
  uint64_t start_ = 0;
  size_t len_ = 0;
};

class SegmentStream {
 public:
  SegmentStream(const std::string& path, uint64_t size, bool newest, Window& w, JournalVisitor& v)
      : path_(path), size_(size), newest_(newest), w_(w), v_(v) {}

  void Run() {
    uint64_t pos = j::kFileHeaderSize;
    if (const char* h = w_.At(0, j::kFileHeaderSize)) {
      store::SegmentHeader header;
      Status s = store::DecodeSegmentHeader(std::string_view(h, j::kFileHeaderSize), &header);
      if (!s.ok()) {
        v_.OnDamage(path_, 0, j::kFileHeaderSize, "segment header: " + s.message());
      } else if (auto name = store::ParseSegmentFileName(BaseName(path_));
                 name && *name != header.first_seq) {
        v_.OnDamage(path_, 0, j::kFileHeaderSize,
                    "segment header says first seq " + std::to_string(header.first_seq.value) +
                        ", its name " + std::to_string(name->value));
      }
    } else {
      if (!newest_ || size_ > 0) {
        if (!newest_) v_.OnDamage(path_, 0, size_, "file shorter than a segment header");
      }
      return;
    }
    uint64_t reported = pos;
    while (pos < size_) {
      if (pos - reported >= (uint64_t{1} << 22)) {
        v_.OnProgress(pos - reported);
        reported = pos;
      }
      const char* hdr = w_.At(pos, j::kFrameHeaderSize);
      if (hdr == nullptr) {
        Incomplete(pos, "frame header runs past the end");
        break;
      }
      const uint32_t len = Fixed32(hdr);
      if (len < j::kMinPayloadSize || len > j::kMaxPayloadSize) {
        pos = Resync(pos, "frame length " + std::to_string(len) + " out of bounds");
        continue;
      }
      const char* frame = w_.At(pos, j::kFrameHeaderSize + len);
      if (frame == nullptr) {
        if (pos + j::kFrameHeaderSize + len > size_ && newest_) {
          Incomplete(pos, "frame runs past the end");
          break;
        }
        pos = Resync(pos, "frame runs past the end of a closed segment");
        continue;
      }
      std::string_view payload(frame + j::kFrameHeaderSize, len);
      const bool crc_ok = store::FrameCrcOk(frame, payload);
      RecordView r;
      Status d = store::DecodeRecord(payload, &r);
      if (d.ok() && (crc_ok || store::PlausibleSyslogPayload(payload, len))) {
        v_.OnRecord(r, crc_ok, path_, pos);
        pos += j::kFrameHeaderSize + len;
      } else if (crc_ok) {
        // A whole frame the writer made, of a type this verifier cannot hash.
        v_.OnDamage(path_, pos, j::kFrameHeaderSize + len, "undecodable record: " + d.message());
        pos += j::kFrameHeaderSize + len;
      } else {
        pos = Resync(pos, "frame CRC mismatch and undecodable");
      }
    }
    if (pos > reported) v_.OnProgress(std::min(pos, size_) - reported);
  }

 private:
  static std::string BaseName(const std::string& p) {
    size_t slash = p.rfind('/');
    return slash == std::string::npos ? p : p.substr(slash + 1);
  }

  void Incomplete(uint64_t pos, const std::string& what) {
    if (newest_) {
      v_.OnInProgress(path_, pos, size_ - pos);
    } else {
      v_.OnDamage(path_, pos, size_ - pos, what);
    }
  }

  // Finds the next offset after `bad` where a whole valid frame starts; reports the bytes in
  // between as damage. Returns that offset (or the end).
  uint64_t Resync(uint64_t bad, const std::string& what) {
    for (uint64_t off = bad + 1; off + j::kFrameHeaderSize + j::kPayloadFixedSize <= size_; ++off) {
      const char* p = w_.At(off, j::kFrameHeaderSize + j::kPayloadFixedSize);
      if (p == nullptr) break;
      uint32_t len = Fixed32(p);
      if (len < j::kPayloadFixedSize || len > j::kMaxPayloadSize) continue;
      if (!store::PlausibleSyslogPayload(
              std::string_view(p + j::kFrameHeaderSize, j::kPayloadFixedSize), len)) {
        continue;
      }
      const char* frame = w_.At(off, j::kFrameHeaderSize + len);
      if (frame == nullptr) continue;
      if (!store::FrameCrcOk(frame, std::string_view(frame + j::kFrameHeaderSize, len))) continue;
      v_.OnDamage(path_, bad, off - bad, what);
      return off;
    }
    v_.OnDamage(path_, bad, size_ - bad, what);
    return size_;
  }

  const std::string& path_;
  uint64_t size_;
  bool newest_;
  Window& w_;
  JournalVisitor& v_;
};

void ReportCutFiles(Fs& fs, const std::string& journal_dir, const std::vector<std::string>& names,
                    JournalVisitor& visitor) {
  for (const std::string& name : names) {
    if (name.rfind("cut-", 0) == 0) {
      auto size = fs.FileSize(JoinPath(journal_dir, name));
      visitor.OnCutFile(JoinPath(journal_dir, name), size.ok() ? *size : 0);
    }
  }
}

// One sealed segment: its blocks in order, each record to OnRecord, and its leaves against the
// stored leaves_root.
void StreamSealed(Fs& fs, const segment::SealedFileInfo& info, uint64_t size, JournalVisitor& v) {
  auto seg = segment::SealedSegment::Open(fs, info.path);
  if (!seg.ok()) {
    v.OnSealedUnreadable(info.path, info.first.value, info.last.value,
                         "sealed segment does not open: " + seg.status().message());
    v.OnProgress(size);
    return;
  }
  const segment::SealedSegment& s = **seg;
  const segment::SegmentMeta& meta = s.meta();
  integrity::Frontier leaves;
  std::string scratch;
  bool all_read = true;
  uint64_t delivered = 0;
  segment::DecodedBlock block;
  for (uint32_t i = 0; i < s.block_count(); ++i) {
    const segment::BlockInfo& b = s.block(i);
    const uint64_t last = b.first.value + (b.count > 0 ? b.count - 1 : 0);
    if (Status st = s.ReadBlock(i, &block); !st.ok()) {
      v.OnSealedUnreadable(info.path, b.first.value, last,
                           "block " + std::to_string(i) + ": " + st.message());
      all_read = false;
      continue;
    }
    for (size_t k = 0; k < block.payloads.size(); ++k) {
      RecordView r;
      if (Status d = store::DecodeRecord(block.payloads[k], &r); !d.ok()) {
        v.OnSealedUnreadable(info.path, b.first.value + k, b.first.value + k,
                             "block " + std::to_string(i) + ": undecodable record: " + d.message());
        all_read = false;
        continue;
      }
      v.OnRecord(r, true, info.path, i);
      leaves.Append(integrity::LeafHashOf(r, &scratch));
      ++delivered;
    }
  }
  if (meta.first != info.first || meta.last != info.last) {
    v.OnSealedMismatch(info.path, info.first.value, info.last.value,
                       "the file name says seqs " + std::to_string(info.first.value) + ".." +
                           std::to_string(info.last.value) + ", its metadata " +
                           std::to_string(meta.first.value) + ".." +
                           std::to_string(meta.last.value));
  } else if (all_read && (delivered != meta.last.value - meta.first.value + 1 ||
                          leaves.Root().View() != std::string_view(meta.leaves_root))) {
    v.OnSealedMismatch(info.path, meta.first.value, meta.last.value,
                       "the records do not hash to the segment's leaves_root (changed after "
                       "sealing)");
  }
  v.OnProgress(size);
}

}  // namespace

Status StreamJournal(Fs& fs, const std::string& journal_dir, JournalVisitor& visitor,
                     JournalStreamStats* stats) {
  auto names = fs.ListDir(journal_dir);
  if (!names.ok()) return names.status();
  ReportCutFiles(fs, journal_dir, *names, visitor);
  auto segs = store::ListSegments(fs, journal_dir);
  if (!segs.ok()) return segs.status();
  std::vector<uint64_t> sizes;
  for (const auto& seg : *segs) {
    auto size = fs.FileSize(seg.path);
    sizes.push_back(size.ok() ? *size : 0);
    stats->total_bytes += sizes.back();
  }
  visitor.OnListed(stats->total_bytes);
  std::string buf;
  for (size_t i = 0; i < segs->size(); ++i) {
    const store::SegmentInfo& seg = (*segs)[i];
    auto file = fs.OpenReadable(seg.path);
    if (!file.ok()) {
      visitor.OnDamage(seg.path, 0, sizes[i], "cannot open: " + file.status().message());
      continue;
    }
    ++stats->segments;
    Window w(**file, sizes[i], &buf);
    SegmentStream(seg.path, sizes[i], i + 1 == segs->size(), w, visitor).Run();
    stats->bytes += sizes[i];
  }
  return Status::Ok();
}

Status StreamLog(Fs& fs, const std::string& data_dir, JournalVisitor& visitor,
                 JournalStreamStats* stats) {
  const std::string journal_dir = JoinPath(data_dir, "journal");
  auto names = fs.ListDir(journal_dir);
  if (!names.ok()) return names.status();
  ReportCutFiles(fs, journal_dir, *names, visitor);
  // The journal first: a segment the sealer removes after this listing was sealed before it
  // was removed, so it is in the sealed listing below or found by the second look further down.
  auto segs = store::ListSegments(fs, journal_dir);
  if (!segs.ok()) return segs.status();
  const std::string segments_dir = JoinPath(data_dir, segment::kSegmentsDirName);
  auto sealed = segment::ListSealed(fs, segments_dir);
  if (!sealed.ok()) return sealed.status();

  struct Piece {
    uint64_t first;
    bool sealed;
    size_t index;
    uint64_t size;
  };
  std::vector<Piece> pieces;
  for (size_t i = 0; i < sealed->size(); ++i) {
    auto size = fs.FileSize((*sealed)[i].path);
    pieces.push_back({(*sealed)[i].first.value, true, i, size.ok() ? *size : 0});
  }
  for (size_t i = 0; i < segs->size(); ++i) {
    const uint64_t first = (*segs)[i].first.value;
    if (i + 1 < segs->size()) {
      const uint64_t last = (*segs)[i + 1].first.value - 1;
      if (std::any_of(sealed->begin(), sealed->end(), [&](const segment::SealedFileInfo& s) {
            return s.first.value <= first && last <= s.last.value;
          })) {
        continue;  // sealed, and not yet removed from the journal
      }
    }
    auto size = fs.FileSize((*segs)[i].path);
    pieces.push_back({first, false, i, size.ok() ? *size : 0});
  }
  std::stable_sort(pieces.begin(), pieces.end(), [](const Piece& a, const Piece& b) {
    return a.first != b.first ? a.first < b.first : a.sealed && !b.sealed;
  });
  for (const Piece& p : pieces) stats->total_bytes += p.size;
  visitor.OnListed(stats->total_bytes);
  std::string buf;
  for (const Piece& p : pieces) {
    ++stats->segments;
    stats->bytes += p.size;
    if (p.sealed) {
      ++stats->sealed_segments;
      StreamSealed(fs, (*sealed)[p.index], p.size, visitor);
      continue;
    }
    const store::SegmentInfo& seg = (*segs)[p.index];
    auto file = fs.OpenReadable(seg.path);
    if (!file.ok()) {
      if (file.status().code() == Status::Code::kNotFound) {
        // Sealed and removed since the listing: read its sealed twin instead.
        auto again = segment::ListSealed(fs, segments_dir);
        if (again.ok()) {
          for (const segment::SealedFileInfo& twin : *again) {
            if (twin.first != seg.first) continue;
            ++stats->sealed_segments;
            StreamSealed(fs, twin, p.size, visitor);
            break;
          }
        }
        continue;
      }
      visitor.OnDamage(seg.path, 0, p.size, "cannot open: " + file.status().message());
      continue;
    }
    Window w(**file, p.size, &buf);
    SegmentStream(seg.path, p.size, p.index + 1 == segs->size(), w, visitor).Run();
  }
  return Status::Ok();
}

}  // namespace kiroku::verify

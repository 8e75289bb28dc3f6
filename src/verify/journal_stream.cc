#include "verify/journal_stream.h"

#include <algorithm>
#include <cstring>
#include <memory>

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

}  // namespace

Status StreamJournal(Fs& fs, const std::string& journal_dir, JournalVisitor& visitor,
                     JournalStreamStats* stats) {
  auto names = fs.ListDir(journal_dir);
  if (!names.ok()) return names.status();
  for (const std::string& name : *names) {
    if (name.rfind("cut-", 0) == 0) {
      auto size = fs.FileSize(JoinPath(journal_dir, name));
      visitor.OnCutFile(JoinPath(journal_dir, name), size.ok() ? *size : 0);
    }
  }
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

}  // namespace kiroku::verify

#include "store/segment_reader.h"

#include <algorithm>

#include "store/internal/coding.h"
#include "store/journal_format.h"
#include "store/record_codec.h"

namespace kiroku::store {
namespace {

namespace j = journal;

// Large enough that pread calls are few, small enough to stay in cache.
constexpr size_t kChunk = 1 << 20;

}  // namespace

SegmentReader::SegmentReader(const RandomAccessFile& file, uint64_t size, uint64_t start)
    : file_(file), size_(size), pos_(start), offset_(start) {}

const char* SegmentReader::Fetch(uint64_t off, size_t n) {
  if (off > size_ || n > size_ - off) return nullptr;
  if (off >= buf_start_ && off + n <= buf_start_ + buf_len_) {
    return buf_.data() + (off - buf_start_);
  }
  size_t want = static_cast<size_t>(std::min<uint64_t>(std::max(n, kChunk), size_ - off));
  if (buf_.size() < want) buf_.resize(want);
  auto got = file_.Read(off, want, buf_.data());
  if (!got.ok()) {
    io_ = got.status();
    buf_len_ = 0;
    return nullptr;
  }
  buf_start_ = off;
  buf_len_ = *got;
  if (*got < want) {
    // The file shrank since we were told its size (the writer cut back a failed write): what
    // is gone was never durable, so the end is now here.
    size_ = off + *got;
    if (*got < n) return nullptr;
  }
  return buf_.data();
}

SegmentReader::Kind SegmentReader::Next() {
  offset_ = pos_;
  why_.clear();
  if (pos_ >= size_) return Kind::kEnd;
  if (size_ - pos_ < j::kFrameHeaderSize) {
    why_ = "partial frame header";
    return Kind::kIncomplete;
  }
  const char* h = Fetch(pos_, j::kFrameHeaderSize);
  if (h == nullptr) return io_.ok() ? Kind::kEnd : Kind::kIoError;
  const uint32_t len = internal::DecodeFixed32(h + j::kFrameLengthOffset);
  if (len < j::kMinPayloadSize || len > j::kMaxPayloadSize) {
    why_ = "impossible frame length " + std::to_string(len);
    return Kind::kBad;
  }
  if (size_ - pos_ - j::kFrameHeaderSize < len) {
    why_ = "frame of " + std::to_string(len) + " bytes runs past the end";
    return Kind::kIncomplete;
  }
  const char* f = Fetch(pos_, j::kFrameHeaderSize + len);
  if (f == nullptr) {
    if (!io_.ok()) return Kind::kIoError;
    why_ = "frame runs past the end";
    return Kind::kIncomplete;
  }
  std::string_view payload(f + j::kFrameHeaderSize, len);
  if (!FrameCrcOk(f, payload)) {
    why_ = "CRC mismatch on a frame of " + std::to_string(len) + " bytes";
    return Kind::kBad;
  }
  payload_ = payload;
  pos_ += j::kFrameHeaderSize + len;
  return Kind::kFrame;
}

bool SegmentReader::Candidate(uint64_t off, bool* whole) {
  *whole = false;
  const uint64_t avail = size_ - off;
  const size_t probe =
      static_cast<size_t>(std::min<uint64_t>(avail, j::kFrameHeaderSize + j::kPayloadFixedSize));
  const char* h = Fetch(off, probe);
  if (h == nullptr || probe < j::kFrameHeaderSize) return false;
  const uint32_t len = internal::DecodeFixed32(h + j::kFrameLengthOffset);
  if (len < j::kPayloadFixedSize || len > j::kMaxPayloadSize) return false;
  if (probe < j::kFrameHeaderSize + j::kPayloadFixedSize) return false;
  // Only kSyslog frames can be recognised in the middle of damage: the cheap structural
  // checks below reject almost all garbage before a CRC is computed over it.
  if (!PlausibleSyslogPayload(std::string_view(h + j::kFrameHeaderSize, j::kPayloadFixedSize),
                              len)) {
    return false;
  }
  if (avail - j::kFrameHeaderSize < len) return true;  // plausible, runs past the end
  const char* f = Fetch(off, j::kFrameHeaderSize + len);
  if (f == nullptr) return false;
  *whole = FrameCrcOk(f, std::string_view(f + j::kFrameHeaderSize, len));
  return *whole;
}

uint64_t SegmentReader::Resync() {
  for (uint64_t off = offset_ + 1; off + j::kFrameHeaderSize <= size_; ++off) {
    bool whole = false;
    if (Candidate(off, &whole)) {
      pos_ = off;
      return pos_;
    }
    if (!io_.ok()) break;
  }
  pos_ = size_;
  return pos_;
}

}  // namespace kiroku::store

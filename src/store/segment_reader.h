// SegmentReader: walks the frames of one journal segment file, checking each frame's length
// and CRC, and on damage finds the next valid frame (as leveldb's log::Reader resyncs).
//
// It reads with pread in chunks of about a megabyte, so a 64 MiB segment never sits in memory
// whole. It judges frames only; what a damaged or incomplete frame means (a torn tail to cut,
// a write in progress, damage to report) is for the caller: recovery.cc and journal_reader.cc.
//
//   SegmentReader r(*file, size, journal::kFileHeaderSize);
//   while (true) {
//     auto kind = r.Next();
//     if (kind == SegmentReader::Kind::kFrame) Use(r.payload());
//     else if (kind == SegmentReader::Kind::kBad) r.Resync();
//     else break;
//   }
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/fs.h"
#include "common/status.h"

namespace kiroku::store {

class SegmentReader {
 public:
  enum class Kind {
    kFrame,       // a whole frame with a correct CRC at offset(); payload() holds it
    kEnd,         // offset() is the end: nothing left
    kIncomplete,  // a frame starts at offset() but runs past the end
    kBad,         // the bytes at offset() are not a valid frame; why() says how
    kIoError,     // reading failed; io_status() says how
  };

  // Reads `file` from `start` up to `size` (bytes appended later are not seen).
  // REQUIRES: `file` outlives the reader; start <= size.
  SegmentReader(const RandomAccessFile& file, uint64_t size, uint64_t start);
  SegmentReader(const SegmentReader&) = delete;
  SegmentReader& operator=(const SegmentReader&) = delete;

  // Examines the bytes at the current position; on kFrame moves past the frame, otherwise
  // stays (call Resync() to move on).
  Kind Next();
  // After kBad or kIncomplete: moves to the next offset after offset() where a plausible
  // frame starts (whole and valid, or running past the end), or to the end. Returns the new
  // position; the bytes in between are the damage.
  uint64_t Resync();

  uint64_t offset() const { return offset_; }  // where the last Next() looked
  uint64_t position() const { return pos_; }   // where the next Next() will look
  uint64_t size() const { return size_; }
  // REQUIRES: the last Next() returned kFrame. Valid until the next call.
  std::string_view payload() const { return payload_; }
  const std::string& why() const { return why_; }
  const Status& io_status() const { return io_; }

 private:
  // Makes bytes [off, off + n) available and returns them; nullptr on a read error or when
  // the file turned out shorter than `size` (it was truncated under us).
  const char* Fetch(uint64_t off, size_t n);
  // Whether a frame that passes the cheap checks starts at `off`; sets *whole if it also ends
  // before size_ with a correct CRC.
  bool Candidate(uint64_t off, bool* whole);

  const RandomAccessFile& file_;
  uint64_t size_;
  uint64_t pos_;
  uint64_t offset_;
  std::string buf_;
  uint64_t buf_start_ = 0;
  size_t buf_len_ = 0;
  std::string_view payload_;
  std::string why_;
  Status io_;
};

}  // namespace kiroku::store

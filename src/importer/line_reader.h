// LineReader: the lines of one log file as `kiroku import` reads it. Plain, gzip (.gz, also
// several concatenated members, as logrotate's delaycompress leaves them) and zstd (.zst) are
// told apart by their magic bytes, not by the name, so `-` (stdin) may be compressed too. A
// line is returned without its '\n' (and without a '\r' before it); a line longer than
// max_line is returned cut to max_line bytes with its full length, the rest skipped.
//
//   auto r = LineReader::Open("/var/log/syslog.2.gz", 64 * 1024);
//   LineReader::Line line;
//   while ((*r)->Next(&line)) Use(line.text, line.original_length);
//   if (!(*r)->status().ok()) ...   // a read or decompression error ended the file early
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace kiroku::importer {

enum class Compression { kNone, kGzip, kZstd };
std::string_view CompressionName(Compression c);  // "plain", "gzip", "zstd"

class LineReader {
 public:
  struct Line {
    std::string_view text;         // valid until the next call of Next()
    uint64_t original_length = 0;  // > text.size() when the line was cut
  };

  // `path` "-" is stdin. REQUIRES: max_line > 0.
  static StatusOr<std::unique_ptr<LineReader>> Open(const std::string& path, size_t max_line);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // False at the end of the input or on an error (then status() says which).
  bool Next(Line* line);
  const Status& status() const { return status_; }

  Compression compression() const { return compression_; }
  uint64_t file_bytes_read() const { return file_bytes_read_; }  // compressed, for progress
  uint64_t file_size() const { return file_size_; }              // 0 when unknown (a pipe)
  int64_t mtime_ns() const { return mtime_ns_; }                 // 0 when unknown
  uint64_t bytes() const { return bytes_; }  // uncompressed bytes handed out, '\n's included

  class Decoder;  // gzip or zstd, internal to line_reader.cc

 private:
  LineReader(int fd, std::string path, size_t max_line);
  // Appends more uncompressed bytes to buf_; false at the end or on an error.
  bool Fill();
  bool ReadRaw();

  int fd_;
  std::string path_;
  size_t max_line_;
  Status status_;
  Compression compression_ = Compression::kNone;
  std::unique_ptr<Decoder> decoder_;
  std::string raw_;  // compressed input not yet decoded
  size_t raw_pos_ = 0;
  bool raw_eof_ = false;
  std::string buf_;  // uncompressed bytes; lines are handed out from buf_pos_
  size_t buf_pos_ = 0;
  bool skipping_ = false;  // inside the rest of an over-long line
  uint64_t skipped_ = 0;
  std::string long_line_;  // the cut prefix of an over-long line being skipped
  uint64_t file_bytes_read_ = 0;
  uint64_t file_size_ = 0;
  int64_t mtime_ns_ = 0;
  uint64_t bytes_ = 0;
};

}  // namespace kiroku::importer

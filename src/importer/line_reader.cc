#include "importer/line_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <cerrno>
#include <cstring>

namespace kiroku::importer {

namespace {

constexpr size_t kChunk = size_t{1} << 20;

}  // namespace

std::string_view CompressionName(Compression c) {
  switch (c) {
    case Compression::kNone:
      return "plain";
    case Compression::kGzip:
      return "gzip";
    case Compression::kZstd:
      return "zstd";
  }
  return "plain";
}

// Decompresses raw input into an output string, one call per chunk.
class LineReader::Decoder {
 public:
  virtual ~Decoder() = default;
  // Consumes from in[*pos, in.size()) and appends at most about kChunk bytes to *out.
  virtual Status Decode(std::string_view in, size_t* pos, std::string* out) = 0;
  // True when the input so far ends on a whole stream (not in the middle of one).
  virtual bool AtStreamEnd() const = 0;
};

namespace {

class GzipDecoder final : public LineReader::Decoder {
 public:
  GzipDecoder() {
    std::memset(&zs_, 0, sizeof(zs_));
    ok_ = inflateInit2(&zs_, 15 + 32) == Z_OK;
  }
  ~GzipDecoder() override { inflateEnd(&zs_); }

  Status Decode(std::string_view in, size_t* pos, std::string* out) override {
    if (!ok_) return Status::IoError("gzip: cannot initialise zlib");
    if (*pos >= in.size()) return Status::Ok();
    if (ended_) {  // another member follows (concatenated gzip files)
      inflateReset(&zs_);
      ended_ = false;
    }
    const size_t old = out->size();
    out->resize(old + kChunk);
    zs_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data() + *pos));
    zs_.avail_in = static_cast<uInt>(in.size() - *pos);
    zs_.next_out = reinterpret_cast<Bytef*>(out->data() + old);
    zs_.avail_out = static_cast<uInt>(kChunk);
    int rc = inflate(&zs_, Z_NO_FLUSH);
    *pos = in.size() - zs_.avail_in;
    out->resize(old + (kChunk - zs_.avail_out));
    if (rc == Z_STREAM_END) {
      ended_ = true;
      return Status::Ok();
    }
    if (rc == Z_OK || rc == Z_BUF_ERROR) return Status::Ok();
    return Status::Corruption(std::string("gzip: ") + (zs_.msg ? zs_.msg : "corrupt data"));
  }
  bool AtStreamEnd() const override { return ended_; }

 private:
  z_stream zs_;
  bool ok_ = false;
  bool ended_ = false;
};

class ZstdDecoder final : public LineReader::Decoder {
 public:
  ZstdDecoder() : dctx_(ZSTD_createDCtx()) {}
  ~ZstdDecoder() override { ZSTD_freeDCtx(dctx_); }

  Status Decode(std::string_view in, size_t* pos, std::string* out) override {
    const size_t old = out->size();
    out->resize(old + kChunk);
    ZSTD_inBuffer ib{in.data(), in.size(), *pos};
    ZSTD_outBuffer ob{out->data() + old, kChunk, 0};
    size_t rc = ZSTD_decompressStream(dctx_, &ob, &ib);
    *pos = ib.pos;
    out->resize(old + ob.pos);
    if (ZSTD_isError(rc)) return Status::Corruption(std::string("zstd: ") + ZSTD_getErrorName(rc));
    at_end_ = rc == 0;
    return Status::Ok();
  }
  bool AtStreamEnd() const override { return at_end_; }

 private:
  ZSTD_DCtx* dctx_;
  bool at_end_ = true;
};

}  // namespace

LineReader::LineReader(int fd, std::string path, size_t max_line)
    : fd_(fd), path_(std::move(path)), max_line_(max_line) {}

LineReader::~LineReader() {
  if (fd_ > 0) ::close(fd_);
}

StatusOr<std::unique_ptr<LineReader>> LineReader::Open(const std::string& path, size_t max_line) {
  int fd = 0;
  if (path != "-") {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Status::IoErrorFromErrno(path, errno);
  }
  std::unique_ptr<LineReader> r(new LineReader(fd, path, max_line));
  struct stat st {};
  if (::fstat(fd, &st) == 0) {
    if (S_ISDIR(st.st_mode)) return Status::InvalidArgument(path + ": is a directory");
    if (S_ISREG(st.st_mode)) {
      r->file_size_ = static_cast<uint64_t>(st.st_size);
      r->mtime_ns_ = static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
    }
  }
  if (!r->ReadRaw()) {
    if (!r->status_.ok()) return r->status_;
  }
  const std::string_view head(r->raw_);
  if (head.size() >= 2 && static_cast<uint8_t>(head[0]) == 0x1f &&
      static_cast<uint8_t>(head[1]) == 0x8b) {
    r->compression_ = Compression::kGzip;
    r->decoder_ = std::make_unique<GzipDecoder>();
  } else if (head.size() >= 4 && static_cast<uint8_t>(head[0]) == 0x28 &&
             static_cast<uint8_t>(head[1]) == 0xb5 && static_cast<uint8_t>(head[2]) == 0x2f &&
             static_cast<uint8_t>(head[3]) == 0xfd) {
    r->compression_ = Compression::kZstd;
    r->decoder_ = std::make_unique<ZstdDecoder>();
  }
  return r;
}

bool LineReader::ReadRaw() {
  if (raw_eof_) return false;
  if (raw_pos_ > 0) {
    raw_.erase(0, raw_pos_);
    raw_pos_ = 0;
  }
  const size_t old = raw_.size();
  raw_.resize(old + kChunk);
  ssize_t n;
  do {
    n = ::read(fd_, raw_.data() + old, kChunk);
  } while (n < 0 && errno == EINTR);
  if (n < 0) {
    raw_.resize(old);
    status_ = Status::IoErrorFromErrno(path_, errno);
    raw_eof_ = true;
    return false;
  }
  raw_.resize(old + static_cast<size_t>(n));
  file_bytes_read_ += static_cast<uint64_t>(n);
  if (n == 0) raw_eof_ = true;
  return n > 0;
}

bool LineReader::Fill() {
  if (!status_.ok()) return false;
  const size_t before = buf_.size();
  if (!decoder_) {
    // Plain: hand the raw bytes over (the common case: one move or one append).
    if (raw_pos_ >= raw_.size() && !ReadRaw()) return false;
    if (buf_.empty()) {
      buf_.swap(raw_);
      buf_.erase(0, raw_pos_);
      raw_.clear();
    } else {
      buf_.append(raw_, raw_pos_, std::string::npos);
      raw_.clear();
    }
    raw_pos_ = 0;
    bytes_ += buf_.size() - before;
    return buf_.size() > before;
  }
  while (buf_.size() == before) {
    if (raw_pos_ >= raw_.size() && !ReadRaw()) {
      if (status_.ok() && !decoder_->AtStreamEnd()) {
        status_ = Status::Corruption(path_ + ": " + std::string(CompressionName(compression_)) +
                                     " data ends in the middle of a stream (truncated file?)");
      }
      return false;
    }
    if (Status s = decoder_->Decode(raw_, &raw_pos_, &buf_); !s.ok()) {
      status_ = Status::Corruption(path_ + ": " + s.message());
      return false;
    }
  }
  bytes_ += buf_.size() - before;
  return true;
}

bool LineReader::Next(Line* line) {
  for (;;) {
    const char* start = buf_.data() + buf_pos_;
    const size_t avail = buf_.size() - buf_pos_;
    const size_t nl = std::string_view(start, avail).find('\n');
    if (nl != std::string_view::npos) {
      size_t len = nl;
      buf_pos_ += len + 1;
      if (skipping_) {
        skipping_ = false;
        line->text = long_line_;
        line->original_length = skipped_ + len;
        return true;
      }
      if (len > 0 && start[len - 1] == '\r') --len;
      line->original_length = len;
      line->text = std::string_view(start, len < max_line_ ? len : max_line_);
      return true;
    }
    // No whole line left: keep the partial one (or the cut prefix of a long one) and read on.
    if (!skipping_ && avail > max_line_) {
      long_line_.assign(start, max_line_);
      skipping_ = true;
      skipped_ = avail;
      buf_pos_ = buf_.size();
    } else if (skipping_) {
      skipped_ += avail;
      buf_pos_ = buf_.size();
    }
    buf_.erase(0, buf_pos_);
    buf_pos_ = 0;
    if (!Fill()) {
      // The last line of a file without a final '\n'.
      if (skipping_) {
        skipping_ = false;
        line->text = long_line_;
        line->original_length = skipped_;
        return true;
      }
      if (buf_.empty()) return false;
      size_t len = buf_.size();
      if (buf_[len - 1] == '\r') --len;
      buf_pos_ = buf_.size();
      line->original_length = len;
      line->text = std::string_view(buf_.data(), len < max_line_ ? len : max_line_);
      return true;
    }
  }
}

}  // namespace kiroku::importer

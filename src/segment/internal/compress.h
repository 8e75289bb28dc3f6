// zstd for the sealed segment: a reusable compression context, a decompressor that never
// trusts a stored length for its allocation, and "packed" sections (raw or zstd, whichever is
// smaller, with the decompressed length in front).
//
//   Compressor c(3);
//   std::string z;
//   c.Compress(body, &z);
//   std::string back;
//   if (!DecompressExact(z, body.size(), &back)) ...
#pragma once

#include <zstd.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace kiroku::segment::internal {

class Compressor {
 public:
  explicit Compressor(int level);
  // Compresses every later frame against `content` (raw content, not a trained dictionary).
  bool SetDictionary(std::string_view content);
  ~Compressor();
  Compressor(const Compressor&) = delete;
  Compressor& operator=(const Compressor&) = delete;
  // One zstd frame (content size in its header) for `in`. False only on zstd failure.
  bool Compress(std::string_view in, std::string* out);

 private:
  ZSTD_CCtx* ctx_;
  ZSTD_CDict* cdict_ = nullptr;
  int level_;
};

// Decompresses `in`, which must be exactly one zstd frame of exactly `expected` bytes, into
// `out`. Up to 4 MiB is decompressed in one call into a buffer of `expected` bytes; above
// that, memory grows with what actually comes out, so a damaged `expected` costs little.
// With `dict`, the frame must have been made against it; without, it must need none.
bool DecompressExact(std::string_view in, uint64_t expected, std::string* out,
                     const ZSTD_DDict* dict = nullptr);

// packed = codec u8 | body_len varint | body (codec 0) or a zstd frame of it (codec 1).
void PackSection(std::string_view body, Compressor* c, std::string* out);
bool UnpackSection(std::string_view stored, std::string* body);

}  // namespace kiroku::segment::internal

// The sealed segment's on-disk constants and the small codings its sections share.
// docs/formats/segment.md describes the same bytes with a grammar; keep the two in step.
//
//   file   = header zstd-dict 1*block dict-block* block-table sparse-index meta footer
//   header (32 bytes) = magic "KIROKUS1" | version u32 | header_size u32 | first_seq u64
//                       | reserved u32 | masked_crc u32
//   footer (136 bytes) ends with the magic, so a reader starts from the end.
//
//   std::string s;
//   PutVarint64(&s, 300);
//   Cursor c(s);
//   uint64_t v;
//   c.Varint(&v);
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace kiroku::segment::internal {

inline constexpr char kMagic[8] = {'K', 'I', 'R', 'O', 'K', 'U', 'S', '1'};
inline constexpr uint32_t kFormatVersion = 1;

// ---- Header ----
inline constexpr size_t kHeaderSize = 32;
inline constexpr size_t kHeaderVersionOffset = 8;
inline constexpr size_t kHeaderSizeOffset = 12;
inline constexpr size_t kHeaderFirstSeqOffset = 16;
inline constexpr size_t kHeaderReservedOffset = 24;
inline constexpr size_t kHeaderCrcOffset = 28;

// ---- Block table: one fixed entry per block ----
inline constexpr size_t kTableEntrySize = 64;
inline constexpr size_t kEntryFirstSeq = 0;    // u64
inline constexpr size_t kEntryCount = 8;       // u32
inline constexpr size_t kEntryCrc = 12;        // u32 masked crc32c of the stored block
inline constexpr size_t kEntryMinTs = 16;      // i64
inline constexpr size_t kEntryMaxTs = 24;      // i64
inline constexpr size_t kEntryMinRecv = 32;    // i64
inline constexpr size_t kEntryMaxRecv = 40;    // i64
inline constexpr size_t kEntryOffset = 48;     // u64 file offset of the stored block
inline constexpr size_t kEntryStoredLen = 56;  // u32
inline constexpr size_t kEntryBodyLen = 60;    // u32 decompressed length

// ---- Zstd dictionary: right after the header, blocks follow it ----
// Raw content (the first block's body, at most this long) that every block is compressed
// against: 1024 log lines are too few for zstd to learn a device's templates on its own.
inline constexpr size_t kMaxZdictSize = 128 << 10;

// ---- Footer ----
inline constexpr size_t kFooterSize = 136;
inline constexpr size_t kFooterDictOffset = 0;       // u64
inline constexpr size_t kFooterDictLen = 8;          // u64
inline constexpr size_t kFooterTableOffset = 16;     // u64
inline constexpr size_t kFooterTableLen = 24;        // u64
inline constexpr size_t kFooterSparseOffset = 32;    // u64
inline constexpr size_t kFooterSparseLen = 40;       // u64
inline constexpr size_t kFooterMetaOffset = 48;      // u64
inline constexpr size_t kFooterMetaLen = 56;         // u64
inline constexpr size_t kFooterTableCrc = 64;        // u32
inline constexpr size_t kFooterSparseCrc = 68;       // u32
inline constexpr size_t kFooterMetaCrc = 72;         // u32
inline constexpr size_t kFooterBlockCount = 76;      // u32
inline constexpr size_t kFooterDictBlockCount = 80;  // u32
inline constexpr size_t kFooterVersion = 84;         // u32
inline constexpr size_t kFooterKeyCount = 88;        // u64
inline constexpr size_t kFooterFirstSeq = 96;        // u64
inline constexpr size_t kFooterLastSeq = 104;        // u64
inline constexpr size_t kFooterZdictLen = 112;       // u32, at offset kHeaderSize
inline constexpr size_t kFooterZdictCrc = 116;       // u32
inline constexpr size_t kFooterReserved = 120;       // u32, 0
inline constexpr size_t kFooterCrc = 124;            // u32 masked crc32c of bytes 0..123
inline constexpr size_t kFooterMagic = 128;          // 8 bytes

// ---- Block body (decompressed): columns ----
inline constexpr uint8_t kBlockCodecColumnar = 1;
enum Stream : uint8_t {
  kStreamFlags,       // varint
  kStreamRecvDelta,   // zigzag varint, receive time minus the previous record's (first: minus 0)
  kStreamTransport,   // u8
  kStreamPeerFamily,  // u8
  kStreamPeerMode,    // u8: 0 all-zero address, 4 first four bytes, 16 all sixteen
  kStreamPeerPort,    // u16
  kStreamPeerAddr,    // 4 or 16 bytes per record, by mode
  kStreamOrigDelta,   // zigzag varint, original_length minus raw_len
  kStreamFormat,      // u8
  kStreamFacility,    // u8
  kStreamSeverity,    // u8
  kStreamBits,        // u8 header bits; bit 7: a device time follows in kStreamDevTime
  kStreamDevTime,     // zigzag varint, device time minus receive time
  kStreamSpanOff,     // 6 zigzag varints per record: span offset minus the end of the last
                      // non-empty span before it
  kStreamSpanLen,     // 6 varints per record
  kStreamRawLen,      // varint
  kStreamRaw,         // the raw bytes of every record, concatenated
  kStreamExtraLen,    // varint per record, or empty when no record has an extra
  kStreamExtra,       // concatenated extras
  kStreamCount
};
inline constexpr uint8_t kBitsDevTimeStored = 0x80;

// ---- Packed sections (sparse index, meta) and dictionary blocks ----
inline constexpr uint8_t kCodecRaw = 0;
inline constexpr uint8_t kCodecZstd = 1;

// ---- Posting lists ----
// tag varint: (n << 1) | 0 then n varints (first block, then gaps >= 1), or
//             (len << 1) | 1 then len bytes of a CRoaring portable bitmap.
inline constexpr uint64_t kPostingRoaringBit = 1;

// A dictionary block is closed once its entries (before zstd) reach this many bytes.
inline constexpr size_t kDictBlockTarget = 16 << 10;

// Limits that make damaged lengths harmless.
inline constexpr uint64_t kMaxBodyLen = uint64_t{1} << 31;

inline void PutVarint64(std::string* dst, uint64_t v) {
  char buf[10];
  size_t n = 0;
  while (v >= 0x80) {
    buf[n++] = static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  buf[n++] = static_cast<char>(v);
  dst->append(buf, n);
}

inline uint64_t ZigZag(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
inline int64_t UnZigZag(uint64_t v) {
  return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1);
}

// Reads from a byte range; every read is bounds checked and a failed read leaves ok() false
// (and later reads fail too), so decoders check once at the end of a unit.
class Cursor {
 public:
  Cursor() = default;
  explicit Cursor(std::string_view s) : p_(s.data()), end_(s.data() + s.size()) {}
  bool ok() const { return ok_; }
  bool AtEnd() const { return p_ == end_; }
  size_t remaining() const { return static_cast<size_t>(end_ - p_); }

  bool Varint(uint64_t* v) {
    uint64_t r = 0;
    for (int shift = 0; shift <= 63 && p_ < end_; shift += 7) {
      auto b = static_cast<uint8_t>(*p_++);
      r |= uint64_t{b & 0x7fu} << shift;
      if (b < 0x80) {
        *v = r;
        return ok_;
      }
    }
    return Fail(v);
  }
  bool Byte(uint8_t* v) {
    if (!ok_ || p_ == end_) return Fail(v);
    *v = static_cast<uint8_t>(*p_++);
    return true;
  }
  bool Bytes(size_t n, std::string_view* out) {
    if (!ok_ || remaining() < n) {
      ok_ = false;
      *out = {};
      return false;
    }
    *out = std::string_view(p_, n);
    p_ += n;
    return true;
  }
  // Length-prefixed bytes.
  bool LenBytes(std::string_view* out) {
    uint64_t n = 0;
    if (!Varint(&n) || n > remaining()) {
      ok_ = false;
      *out = {};
      return false;
    }
    return Bytes(static_cast<size_t>(n), out);
  }

 private:
  template <typename T>
  bool Fail(T* v) {
    ok_ = false;
    *v = 0;
    return false;
  }
  const char* p_ = nullptr;
  const char* end_ = nullptr;
  bool ok_ = true;
};

}  // namespace kiroku::segment::internal

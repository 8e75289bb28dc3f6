// Big-endian fixed-width integers for the signed and hashed encodings (anchor, tree head, key
// leaf), in network order as RFC 9162 and TLS encode theirs. On-disk framing (length, CRC)
// stays little-endian like the journal (store/internal/coding.h).
//
//   std::string out;
//   PutU64(out, epoch);
//   ByteReader r(out);
//   uint64_t e = r.U64();   // r.ok() is false if the input was too short
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace kiroku::integrity::signing::internal {

inline void PutBigEndian(std::string& out, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
inline void PutU8(std::string& out, uint8_t v) { PutBigEndian(out, v, 1); }
inline void PutU16(std::string& out, uint16_t v) { PutBigEndian(out, v, 2); }
inline void PutU32(std::string& out, uint32_t v) { PutBigEndian(out, v, 4); }
inline void PutU64(std::string& out, uint64_t v) { PutBigEndian(out, v, 8); }
inline void PutI64(std::string& out, int64_t v) { PutU64(out, static_cast<uint64_t>(v)); }

// Reads big-endian fields from the front of a buffer. After a read past the end every value
// is 0 and ok() is false, so a decoder checks once at the end.
class ByteReader {
 public:
  explicit ByteReader(std::string_view in) : in_(in) {}
  uint64_t BigEndian(int bytes) {
    if (!Need(static_cast<size_t>(bytes))) return 0;
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v = (v << 8) | static_cast<uint8_t>(in_[pos_ + i]);
    pos_ += static_cast<size_t>(bytes);
    return v;
  }
  uint8_t U8() { return static_cast<uint8_t>(BigEndian(1)); }
  uint16_t U16() { return static_cast<uint16_t>(BigEndian(2)); }
  uint32_t U32() { return static_cast<uint32_t>(BigEndian(4)); }
  uint64_t U64() { return BigEndian(8); }
  int64_t I64() { return static_cast<int64_t>(BigEndian(8)); }
  std::string_view Bytes(size_t n) {
    if (!Need(n)) return {};
    std::string_view v = in_.substr(pos_, n);
    pos_ += n;
    return v;
  }
  bool ok() const { return ok_; }
  bool done() const { return ok_ && pos_ == in_.size(); }
  size_t remaining() const { return in_.size() - pos_; }

 private:
  bool Need(size_t n) {
    if (!ok_ || in_.size() - pos_ < n) {
      ok_ = false;
      return false;
    }
    return true;
  }
  std::string_view in_;
  size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace kiroku::integrity::signing::internal

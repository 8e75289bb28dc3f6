// CRC-32C (Castagnoli), the checksum on every journal frame.
//
// Value() uses the SSE4.2 crc32 instruction when the CPU has it (checked once, at run time)
// and Boost.CRC otherwise; both give the same answers (crc32c_test.cc checks RFC 3720's
// vectors on each). Mask() is applied before a CRC is stored, as leveldb does: the CRC of a
// string that itself contains embedded CRCs is otherwise weak.
//
//   uint32_t crc = crc32c::Value(payload.data(), payload.size());
//   EncodeFixed32(dst, crc32c::Mask(crc));
#pragma once

#include <cstddef>
#include <cstdint>

namespace kiroku::crc32c {

// The CRC-32C of concat(A, data[0, n)) where init_crc is the CRC-32C of A.
uint32_t Extend(uint32_t init_crc, const char* data, size_t n);

// The CRC-32C of data[0, n).
inline uint32_t Value(const char* data, size_t n) { return Extend(0, data, n); }

inline constexpr uint32_t kMaskDelta = 0xa282ead8u;

// A rotated and offset CRC, for storing next to the data it covers.
inline uint32_t Mask(uint32_t crc) { return ((crc >> 15) | (crc << 17)) + kMaskDelta; }

// REQUIRES: masked_crc came from Mask().
inline uint32_t Unmask(uint32_t masked_crc) {
  uint32_t rot = masked_crc - kMaskDelta;
  return (rot >> 17) | (rot << 15);
}

namespace internal {
// The two implementations behind Extend, exposed for tests and benchmarks.
uint32_t ExtendPortable(uint32_t init_crc, const char* data, size_t n);
// REQUIRES: HaveSse42()
uint32_t ExtendSse42(uint32_t init_crc, const char* data, size_t n);
bool HaveSse42();
}  // namespace internal

}  // namespace kiroku::crc32c

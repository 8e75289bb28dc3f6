// Little-endian fixed-width integers in byte buffers, as every kiroku file format stores them.
//
//   char buf[8];
//   EncodeFixed64(buf, seq);
//   uint64_t back = DecodeFixed64(buf);
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

namespace kiroku::store::internal {

template <typename T>
inline void EncodeFixed(char* dst, T v) {
  static_assert(std::is_integral_v<T>);
  if constexpr (std::endian::native == std::endian::little) {
    std::memcpy(dst, &v, sizeof v);
  } else {
    for (size_t i = 0; i < sizeof v; ++i) {
      dst[i] = static_cast<char>(static_cast<std::make_unsigned_t<T>>(v) >> (8 * i));
    }
  }
}

template <typename T>
inline T DecodeFixed(const char* src) {
  static_assert(std::is_integral_v<T>);
  if constexpr (std::endian::native == std::endian::little) {
    T v;
    std::memcpy(&v, src, sizeof v);
    return v;
  } else {
    std::make_unsigned_t<T> v = 0;
    for (size_t i = 0; i < sizeof v; ++i) {
      v |= static_cast<std::make_unsigned_t<T>>(static_cast<uint8_t>(src[i])) << (8 * i);
    }
    return static_cast<T>(v);
  }
}

inline void EncodeFixed16(char* dst, uint16_t v) { EncodeFixed(dst, v); }
inline void EncodeFixed32(char* dst, uint32_t v) { EncodeFixed(dst, v); }
inline void EncodeFixed64(char* dst, uint64_t v) { EncodeFixed(dst, v); }
inline uint16_t DecodeFixed16(const char* src) { return DecodeFixed<uint16_t>(src); }
inline uint32_t DecodeFixed32(const char* src) { return DecodeFixed<uint32_t>(src); }
inline uint64_t DecodeFixed64(const char* src) { return DecodeFixed<uint64_t>(src); }

}  // namespace kiroku::store::internal

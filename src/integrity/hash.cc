#include "integrity/hash.h"

#include <cassert>
#include <cstring>

#include "integrity/internal/sha256.h"

namespace kiroku::integrity {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";
constexpr char kBase64Alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace

std::string Hash::Hex() const {
  std::string out(2 * kSize, '\0');
  for (size_t i = 0; i < kSize; ++i) {
    out[2 * i] = kHexDigits[bytes[i] >> 4];
    out[2 * i + 1] = kHexDigits[bytes[i] & 0xf];
  }
  return out;
}

std::optional<Hash> Hash::FromHex(std::string_view hex) {
  if (hex.size() != 2 * kSize) return std::nullopt;
  Hash h;
  for (size_t i = 0; i < kSize; ++i) {
    int hi = HexValue(hex[2 * i]);
    int lo = HexValue(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    h.bytes[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return h;
}

std::string Hash::Base64() const {
  std::string out;
  out.reserve(44);
  for (size_t i = 0; i < kSize; i += 3) {
    uint32_t n = uint32_t{bytes[i]} << 16;
    if (i + 1 < kSize) n |= uint32_t{bytes[i + 1]} << 8;
    if (i + 2 < kSize) n |= bytes[i + 2];
    out.push_back(kBase64Alphabet[(n >> 18) & 63]);
    out.push_back(kBase64Alphabet[(n >> 12) & 63]);
    out.push_back(i + 1 < kSize ? kBase64Alphabet[(n >> 6) & 63] : '=');
    out.push_back(i + 2 < kSize ? kBase64Alphabet[n & 63] : '=');
  }
  return out;
}

std::optional<Hash> Hash::FromBase64(std::string_view b64) {
  // 32 bytes = 10 full groups of 3 and one group of 2: exactly 44 characters, one '='.
  if (b64.size() != 44 || b64[43] != '=') return std::nullopt;
  Hash h;
  size_t out = 0;
  for (size_t i = 0; i < 44; i += 4) {
    int v[4];
    for (int j = 0; j < 4; ++j) {
      v[j] = (i + j == 43) ? 0 : Base64Value(b64[i + j]);
      if (v[j] < 0) return std::nullopt;
    }
    uint32_t n = uint32_t(v[0]) << 18 | uint32_t(v[1]) << 12 | uint32_t(v[2]) << 6 | uint32_t(v[3]);
    h.bytes[out++] = static_cast<uint8_t>(n >> 16);
    h.bytes[out++] = static_cast<uint8_t>(n >> 8);
    if (out < kSize) {
      h.bytes[out++] = static_cast<uint8_t>(n);
    } else if ((n & 0xff) != 0 || (v[2] & 3) != 0) {
      return std::nullopt;  // non-canonical: stray bits in the last character
    }
  }
  return h;
}

Hash Hash::FromBytes(std::string_view raw) {
  assert(raw.size() == kSize);
  Hash h;
  std::memcpy(h.bytes.data(), raw.data(), kSize);
  return h;
}

Hash Sha256(std::string_view data) {
  internal::Sha256Stream s;
  s.Update(data);
  return s.Finish();
}

Hash HashLeaf(std::string_view leaf_data) {
  internal::Sha256Stream s;
  s.Update(&kLeafHashPrefix, 1);
  s.Update(leaf_data);
  return s.Finish();
}

Hash HashChildren(const Hash& left, const Hash& right) {
  uint8_t buf[1 + 2 * Hash::kSize];
  buf[0] = kNodeHashPrefix;
  std::memcpy(buf + 1, left.bytes.data(), Hash::kSize);
  std::memcpy(buf + 1 + Hash::kSize, right.bytes.data(), Hash::kSize);
  internal::Sha256Stream s;
  s.Update(buf, sizeof(buf));
  return s.Finish();
}

Hash HashEmpty() {
  static const Hash kEmpty = Sha256("");
  return kEmpty;
}

}  // namespace kiroku::integrity

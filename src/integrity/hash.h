// Hash: a SHA-256 digest, and the RFC 9162 hashes of the one Merkle tree over all records.
//
// Every hash in the integrity code is a Hash, never a bare byte array or string, so a hash
// cannot be mixed up with a key, a signature or raw record bytes. The domain-separation
// prefixes of RFC 9162 section 2.1 (0x00 for a leaf, 0x01 for an interior node) live here and
// nowhere else: a leaf can never be passed off as an interior node or the other way round.
//
// Hashing uses OpenSSL's SHA-256 (SHA-NI where the CPU has it) through the allocation-free
// stream of internal/sha256.h, which explains why it is the low-level API and not EVP.
//
//   Hash leaf = HashLeaf(encoded_record);
//   Hash node = HashChildren(left, right);
//   std::string hex = node.Hex();                      // "5f0f...", 64 lower-case hex digits
//   std::optional<Hash> back = Hash::FromHex(hex);     // == node
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kiroku::integrity {

struct Hash {
  static constexpr size_t kSize = 32;
  std::array<uint8_t, kSize> bytes{};

  // Lower-case hex, 64 characters.
  std::string Hex() const;
  // Accepts exactly 64 hex digits, either case; nullopt otherwise.
  static std::optional<Hash> FromHex(std::string_view hex);
  // Standard base64 with padding (RFC 4648 section 4), 44 characters: the form RFC 9162 and
  // the CT JSON APIs use.
  std::string Base64() const;
  static std::optional<Hash> FromBase64(std::string_view b64);
  // The 32 bytes as a string_view over this object (valid while it lives).
  std::string_view View() const {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
  }
  // REQUIRES: raw.size() == kSize.
  static Hash FromBytes(std::string_view raw);

  friend bool operator==(const Hash&, const Hash&) = default;
};

// RFC 9162 section 2.1 domain separation. The only place these values are written down.
inline constexpr uint8_t kLeafHashPrefix = 0x00;
inline constexpr uint8_t kNodeHashPrefix = 0x01;

// Plain SHA-256 of data.
Hash Sha256(std::string_view data);
// SHA-256(0x00 || leaf_data): the hash of a leaf whose encoding is leaf_data.
Hash HashLeaf(std::string_view leaf_data);
// SHA-256(0x01 || left || right): the hash of an interior node.
Hash HashChildren(const Hash& left, const Hash& right);
// SHA-256(""): the root of the empty tree.
Hash HashEmpty();

}  // namespace kiroku::integrity

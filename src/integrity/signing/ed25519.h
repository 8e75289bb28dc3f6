// Ed25519 (RFC 8032) signatures over OpenSSL 3's EVP interface with raw 32-byte keys.
//
// The forward-secure epoch keys (epoch_keys.h) are Ed25519 keys whose 32-byte private seeds are
// derived, not generated, so key pairs are made from a seed. Verification needs only a public
// key and is what an independent verifier does with a head's epoch key.
//
//   Ed25519KeyPair kp = Ed25519KeyPair::FromSeed(seed);
//   Ed25519Signature sig = kp.Sign("message");
//   bool ok = Ed25519Verify(kp.public_key(), "message", sig);
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace kiroku::integrity::signing {

struct Ed25519PublicKey {
  static constexpr size_t kSize = 32;
  std::array<uint8_t, kSize> bytes{};
  std::string_view View() const {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
  }
  std::string Hex() const;
  static std::optional<Ed25519PublicKey> FromHex(std::string_view hex);
  // REQUIRES: raw.size() == kSize
  static Ed25519PublicKey FromBytes(std::string_view raw);
  friend bool operator==(const Ed25519PublicKey&, const Ed25519PublicKey&) = default;
};

struct Ed25519Signature {
  static constexpr size_t kSize = 64;
  std::array<uint8_t, kSize> bytes{};
  std::string_view View() const {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
  }
  std::string Hex() const;
  static std::optional<Ed25519Signature> FromHex(std::string_view hex);
  // REQUIRES: raw.size() == kSize
  static Ed25519Signature FromBytes(std::string_view raw);
  friend bool operator==(const Ed25519Signature&, const Ed25519Signature&) = default;
};

// The RFC 8032 private key: 32 secret bytes. Wiped when destroyed.
class Ed25519Seed {
 public:
  static constexpr size_t kSize = 32;
  Ed25519Seed() = default;
  // REQUIRES: raw.size() == kSize
  explicit Ed25519Seed(std::string_view raw);
  ~Ed25519Seed();
  Ed25519Seed(const Ed25519Seed&) = default;
  Ed25519Seed& operator=(const Ed25519Seed&) = default;
  const std::array<uint8_t, kSize>& bytes() const { return bytes_; }
  std::array<uint8_t, kSize>& mutable_bytes() { return bytes_; }

 private:
  std::array<uint8_t, kSize> bytes_{};
};

// A key pair held by OpenSSL. Movable, not copyable.
class Ed25519KeyPair {
 public:
  static Ed25519KeyPair FromSeed(const Ed25519Seed& seed);
  ~Ed25519KeyPair();
  Ed25519KeyPair(Ed25519KeyPair&&) noexcept;
  Ed25519KeyPair& operator=(Ed25519KeyPair&&) noexcept;
  Ed25519KeyPair(const Ed25519KeyPair&) = delete;
  Ed25519KeyPair& operator=(const Ed25519KeyPair&) = delete;

  const Ed25519PublicKey& public_key() const { return public_key_; }
  Ed25519Signature Sign(std::string_view message) const;

 private:
  struct State;
  explicit Ed25519KeyPair(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
  Ed25519PublicKey public_key_;
};

// True iff `sig` is a valid RFC 8032 Ed25519 signature of `message` by `key` (OpenSSL also
// rejects non-canonical S and small-order keys as the RFC's verification demands).
bool Ed25519Verify(const Ed25519PublicKey& key, std::string_view message,
                   const Ed25519Signature& sig);

}  // namespace kiroku::integrity::signing

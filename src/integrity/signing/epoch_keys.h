// Forward-secure epoch keys: a one-way seed ratchet and the Ed25519 key of each epoch.
//
// seed_0 is 32 random bytes made at `kiroku init`; seed_{e+1} = SHA-256(ratchet label ||
// seed_e). Epoch e's Ed25519 private seed is SHA-256(epoch-key label || u64be(e) || seed_e):
// a different label, so an epoch's private key (which signs in memory all hour) reveals
// neither seed_e nor any later seed. Whoever holds seed_e can compute every key from e on and
// none before it; that is why the key state (key_state.h) overwrites seed_e with seed_{e+1}
// as soon as epoch e is over. docs/formats/keys.md has the security argument.
//
//   RatchetSeed seed = *RatchetSeed::Random();
//   Ed25519KeyPair k0 = EpochKeyPair(seed, Epoch{0});
//   seed = seed.Next();                          // seed_1; seed_0 is gone from this object
//   Ed25519KeyPair k1 = EpochKeyPair(seed, Epoch{1});
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "common/status.h"
#include "integrity/signing/ed25519.h"
#include "integrity/signing/epoch.h"

namespace kiroku::integrity::signing {

// seed_e: the secret from which epoch e's and all later epochs' keys follow. Wiped when
// destroyed or overwritten.
class RatchetSeed {
 public:
  static constexpr size_t kSize = 32;
  RatchetSeed() = default;
  // REQUIRES: raw.size() == kSize
  explicit RatchetSeed(std::string_view raw);
  ~RatchetSeed();
  RatchetSeed(const RatchetSeed&) = default;
  RatchetSeed& operator=(const RatchetSeed&) = default;

  // 32 bytes from OpenSSL's CSPRNG; kUnavailable if it is not seeded.
  static StatusOr<RatchetSeed> Random();
  // seed_{e+1} from seed_e.
  RatchetSeed Next() const;
  // seed_{e+n}.
  RatchetSeed Advance(uint64_t n) const;

  std::string_view View() const {
    return {reinterpret_cast<const char*>(bytes_.data()), bytes_.size()};
  }
  friend bool operator==(const RatchetSeed&, const RatchetSeed&) = default;

 private:
  std::array<uint8_t, kSize> bytes_{};
};

// The Ed25519 private seed of `epoch`, given seed_epoch.
Ed25519Seed EpochSigningSeed(const RatchetSeed& seed, Epoch epoch);
// The key pair of `epoch`, given seed_epoch.
Ed25519KeyPair EpochKeyPair(const RatchetSeed& seed, Epoch epoch);

}  // namespace kiroku::integrity::signing

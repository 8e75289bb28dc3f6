// The bytes of the key files in DATA/keys/: the secret seed file and the public key files.
//
//   secret.key                         mode 0600: epoch, seed_epoch, check (56 bytes)
//   pubkeys-<first epoch>.bin          every public key of one anchor's horizon
//   anchor-<first epoch>.json          that horizon's anchor (a rollover statement after the first)
//   anchor.json                        copy of the newest anchor, for the operator
//
// Encoding and decoding only; key_state.h reads and writes the files. The secret file has a
// fixed size so that ratcheting can overwrite it in place. docs/formats/keys.md has the
// grammar; keep the two in step.
//
//   std::string bytes = EncodeSecretFile({Epoch{5}, seed});
//   StatusOr<SecretKeyFile> back = DecodeSecretFile(bytes);
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "integrity/signing/ed25519.h"
#include "integrity/signing/epoch.h"
#include "integrity/signing/epoch_keys.h"

namespace kiroku::integrity::signing {

inline constexpr char kSecretFileName[] = "secret.key";
inline constexpr char kCurrentAnchorFileName[] = "anchor.json";
inline constexpr char kSecretMagic[8] = {'K', 'I', 'R', 'O', 'K', 'U', 'K', '1'};
inline constexpr char kPublicMagic[8] = {'K', 'I', 'R', 'O', 'K', 'U', 'P', '1'};
inline constexpr uint32_t kKeyFileVersion = 1;
inline constexpr size_t kSecretFileSize = 56;
inline constexpr size_t kPublicHeaderSize = 32;
inline constexpr uint32_t kSecretFileMode = 0600;
inline constexpr uint32_t kKeyDirMode = 0700;

// "pubkeys-00000000000000000000.bin", "anchor-00000000000000087600.json"
std::string PublicKeyFileName(Epoch first);
std::string AnchorFileName(Epoch first);
// The first epoch named by an anchor file name; nullopt for other names.
std::optional<Epoch> ParseAnchorFileName(std::string_view name);

// PREFIX + the epoch as 20 decimal digits + SUFFIX (so names sort in epoch order), and back;
// shared by the key files and the head files.
std::string EpochFileName(std::string_view prefix, Epoch epoch, std::string_view suffix);
std::optional<Epoch> ParseEpochFileName(std::string_view name, std::string_view prefix,
                                        std::string_view suffix);

struct SecretKeyFile {
  Epoch epoch;
  RatchetSeed seed;  // seed_epoch
};
// REQUIRES: the returned string holds the seed; callers cleanse it (OPENSSL_cleanse).
std::string EncodeSecretFile(const SecretKeyFile& secret);
// kCorruption for a wrong size, magic, version or check value.
StatusOr<SecretKeyFile> DecodeSecretFile(std::string_view bytes);

struct PublicKeyFile {
  Epoch first;
  std::vector<Ed25519PublicKey> keys;  // keys[i] belongs to epoch first + i
};
std::string EncodePublicKeyFile(const PublicKeyFile& file);
StatusOr<PublicKeyFile> DecodePublicKeyFile(std::string_view bytes);

}  // namespace kiroku::integrity::signing

#include "integrity/signing/key_files.h"

#include <charconv>
#include <cstring>

#include "common/crc32c.h"
#include "integrity/signing/internal/bytes.h"

namespace kiroku::integrity::signing {
namespace {

constexpr size_t kEpochDigits = 20;

std::string Padded(uint64_t v) {
  std::string digits = std::to_string(v);
  return std::string(kEpochDigits - digits.size(), '0') + digits;
}

uint32_t Check(std::string_view bytes) {
  return crc32c::Mask(crc32c::Value(bytes.data(), bytes.size()));
}

}  // namespace

std::string PublicKeyFileName(Epoch first) { return "pubkeys-" + Padded(first.value) + ".bin"; }
std::string AnchorFileName(Epoch first) { return "anchor-" + Padded(first.value) + ".json"; }

std::optional<Epoch> ParseAnchorFileName(std::string_view name) {
  return ParseEpochFileName(name, "anchor-", ".json");
}

std::string EpochFileName(std::string_view prefix, Epoch epoch, std::string_view suffix) {
  std::string out(prefix);
  out += Padded(epoch.value);
  out += suffix;
  return out;
}

std::optional<Epoch> ParseEpochFileName(std::string_view name, std::string_view prefix,
                                        std::string_view suffix) {
  if (name.size() != prefix.size() + kEpochDigits + suffix.size() ||
      name.substr(0, prefix.size()) != prefix ||
      name.substr(name.size() - suffix.size()) != suffix) {
    return std::nullopt;
  }
  std::string_view digits = name.substr(prefix.size(), kEpochDigits);
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return Epoch{v};
}

// secret-file (56 bytes, big-endian) = magic "KIROKUK1" | version u32 | epoch u64
//                                      | seed [32] | check u32 (masked CRC-32C of bytes 0-51)
std::string EncodeSecretFile(const SecretKeyFile& secret) {
  std::string out;
  out.reserve(kSecretFileSize);
  out.append(kSecretMagic, sizeof kSecretMagic);
  internal::PutU32(out, kKeyFileVersion);
  internal::PutU64(out, secret.epoch.value);
  out.append(secret.seed.View());
  internal::PutU32(out, Check(out));
  return out;
}

StatusOr<SecretKeyFile> DecodeSecretFile(std::string_view bytes) {
  if (bytes.size() != kSecretFileSize) {
    return Status::Corruption("secret key file is " + std::to_string(bytes.size()) +
                              " bytes, expected 56");
  }
  internal::ByteReader r(bytes);
  if (r.Bytes(8) != std::string_view(kSecretMagic, 8)) {
    return Status::Corruption("secret key file: bad magic");
  }
  if (uint32_t v = r.U32(); v != kKeyFileVersion) {
    return Status::Corruption("secret key file: unsupported version " + std::to_string(v));
  }
  SecretKeyFile out;
  out.epoch = Epoch{r.U64()};
  out.seed = RatchetSeed(r.Bytes(RatchetSeed::kSize));
  if (r.U32() != Check(bytes.substr(0, kSecretFileSize - 4))) {
    return Status::Corruption("secret key file: check value mismatch (torn or damaged)");
  }
  return out;
}

// public-file = magic "KIROKUP1" | version u32 | reserved u32 (0) | first_epoch u64
//               | count u64 | count * key [32]
std::string EncodePublicKeyFile(const PublicKeyFile& file) {
  std::string out;
  out.reserve(kPublicHeaderSize + file.keys.size() * Ed25519PublicKey::kSize);
  out.append(kPublicMagic, sizeof kPublicMagic);
  internal::PutU32(out, kKeyFileVersion);
  internal::PutU32(out, 0);
  internal::PutU64(out, file.first.value);
  internal::PutU64(out, file.keys.size());
  for (const Ed25519PublicKey& k : file.keys) out.append(k.View());
  return out;
}

StatusOr<PublicKeyFile> DecodePublicKeyFile(std::string_view bytes) {
  internal::ByteReader r(bytes);
  if (r.Bytes(8) != std::string_view(kPublicMagic, 8) || r.U32() != kKeyFileVersion) {
    return Status::Corruption("public key file: bad magic or version");
  }
  r.U32();
  PublicKeyFile out;
  out.first = Epoch{r.U64()};
  uint64_t count = r.U64();
  if (!r.ok() || r.remaining() / Ed25519PublicKey::kSize != count ||
      r.remaining() % Ed25519PublicKey::kSize != 0) {
    return Status::Corruption("public key file: size does not match its key count");
  }
  out.keys.reserve(count);
  for (uint64_t i = 0; i < count; ++i) {
    out.keys.push_back(Ed25519PublicKey::FromBytes(r.Bytes(Ed25519PublicKey::kSize)));
  }
  return out;
}

}  // namespace kiroku::integrity::signing

#include "integrity/signing/trust_anchor.h"

#include <nlohmann/json.hpp>

#include "integrity/proof_verify.h"
#include "integrity/signing/domain.h"
#include "integrity/signing/internal/bytes.h"
#include "integrity/signing/internal/hex.h"
#include "integrity/signing/internal/json_util.h"

namespace kiroku::integrity::signing {

// anchor-encoding (94 bytes, big-endian):
//   version u16 | first_epoch u64 | epoch_count u64 | epoch_seconds u32 | start_time_s i64
//   | key_tree_root [32] | previous_fingerprint [32]
std::string EncodeTrustAnchor(const TrustAnchor& a) {
  std::string out;
  out.reserve(kTrustAnchorEncodingSize);
  internal::PutU16(out, a.version);
  internal::PutU64(out, a.first_epoch.value);
  internal::PutU64(out, a.epoch_count);
  internal::PutU32(out, a.schedule.length_s);
  internal::PutI64(out, a.schedule.start_s);
  out.append(a.key_tree_root.View());
  out.append(a.previous_fingerprint.View());
  return out;
}

StatusOr<TrustAnchor> DecodeTrustAnchor(std::string_view bytes) {
  internal::ByteReader r(bytes);
  TrustAnchor a;
  a.version = r.U16();
  a.first_epoch = Epoch{r.U64()};
  a.epoch_count = r.U64();
  a.schedule.length_s = r.U32();
  a.schedule.start_s = r.I64();
  std::string_view root = r.Bytes(Hash::kSize);
  std::string_view prev = r.Bytes(Hash::kSize);
  if (!r.done()) {
    return Status::Corruption("trust anchor encoding is " + std::to_string(bytes.size()) +
                              " bytes, expected " + std::to_string(kTrustAnchorEncodingSize));
  }
  if (a.version != kTrustAnchorVersion) {
    return Status::Corruption("trust anchor version " + std::to_string(a.version) +
                              " is not supported (expected 1)");
  }
  if (a.schedule.length_s == 0 || a.epoch_count == 0 ||
      a.first_epoch.value + a.epoch_count < a.first_epoch.value) {
    return Status::Corruption("trust anchor has an empty or overflowing epoch range");
  }
  a.key_tree_root = Hash::FromBytes(root);
  a.previous_fingerprint = Hash::FromBytes(prev);
  return a;
}

Hash Fingerprint(const TrustAnchor& anchor) {
  return Sha256(std::string(kAnchorFingerprintLabel) + EncodeTrustAnchor(anchor));
}

std::string FormatFingerprint(const Hash& fingerprint) {
  const std::string hex = fingerprint.Hex();
  std::string out(kFingerprintPrefix);
  for (size_t i = 0; i < hex.size(); i += 4) {
    if (i > 0) out.push_back('-');
    out.append(hex, i, 4);
  }
  return out;
}

std::optional<Hash> ParseFingerprint(std::string_view text) {
  if (text.substr(0, kFingerprintPrefix.size()) == kFingerprintPrefix) {
    text.remove_prefix(kFingerprintPrefix.size());
  }
  std::string hex;
  for (char c : text) {
    if (c == '-' || c == ' ' || c == ':') continue;
    hex.push_back(c);
  }
  return Hash::FromHex(hex);
}

std::string KeyLeafData(Epoch epoch, const Ed25519PublicKey& key) {
  std::string out(kKeyLeafLabel);
  internal::PutU64(out, epoch.value);
  out.append(key.View());
  return out;
}

Hash KeyLeafHash(Epoch epoch, const Ed25519PublicKey& key) {
  return HashLeaf(KeyLeafData(epoch, key));
}

bool VerifyKeyInclusion(const TrustAnchor& anchor, Epoch epoch, const Ed25519PublicKey& key,
                        std::span<const Hash> proof) {
  if (!anchor.Covers(epoch)) return false;
  return VerifyInclusion(epoch.value - anchor.first_epoch.value, anchor.epoch_count,
                         KeyLeafHash(epoch, key), proof, anchor.key_tree_root);
}

std::string TrustAnchorToJson(const TrustAnchor& a) {
  nlohmann::ordered_json j;
  j["type"] = "kiroku-trust-anchor";
  j["version"] = a.version;
  j["fingerprint"] = FormatFingerprint(Fingerprint(a));
  j["key_tree_root"] = a.key_tree_root.Hex();
  j["first_epoch"] = a.first_epoch.value;
  j["epoch_count"] = a.epoch_count;
  j["epoch_seconds"] = a.schedule.length_s;
  j["start_time_s"] = a.schedule.start_s;
  j["previous_fingerprint"] = a.previous_fingerprint.Hex();
  j["encoding"] = internal::ToHex(EncodeTrustAnchor(a));
  return j.dump(2) + "\n";
}

StatusOr<TrustAnchor> TrustAnchorFromJson(std::string_view json) {
  auto doc = internal::ParseJson(json, "trust anchor");
  if (!doc.ok()) return doc.status();
  internal::JsonReader r(*doc, "trust anchor");
  if (r.String("type") != "kiroku-trust-anchor") r.Fail("type", "is not kiroku-trust-anchor");
  TrustAnchor a;
  uint64_t version = r.U64("version");
  a.key_tree_root = r.HashHex("key_tree_root");
  a.first_epoch = Epoch{r.U64("first_epoch")};
  a.epoch_count = r.U64("epoch_count");
  uint64_t seconds = r.U64("epoch_seconds");
  a.schedule.start_s = r.I64("start_time_s");
  a.previous_fingerprint = r.HashHex("previous_fingerprint");
  if (!r.ok()) return r.status();
  if (version != kTrustAnchorVersion || seconds == 0 || seconds > UINT32_MAX) {
    return Status::Corruption("trust anchor has an unsupported version or epoch length");
  }
  a.version = static_cast<uint16_t>(version);
  a.schedule.length_s = static_cast<uint32_t>(seconds);
  // Round-trip through the canonical encoding so JSON and binary accept the same anchors.
  auto checked = DecodeTrustAnchor(EncodeTrustAnchor(a));
  if (!checked.ok()) return checked.status();
  if (r.Has("fingerprint")) {
    std::optional<Hash> stated = ParseFingerprint(r.String("fingerprint"));
    if (!stated || *stated != Fingerprint(a)) {
      return Status::Corruption("trust anchor fingerprint does not match its fields");
    }
  }
  return a;
}

}  // namespace kiroku::integrity::signing

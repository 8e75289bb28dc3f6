// TrustAnchor: the one value a verifier needs to check everything kiroku signs.
//
// `kiroku init` derives the public keys of every epoch of a horizon (default ten years of
// hours) and commits them to the root of a Merkle tree, the key tree: leaf i is epoch
// first_epoch + i's key, leaf data = key-leaf label || u64be(epoch) || 32-byte public key,
// hashed as an RFC 9162 leaf. The anchor is that root plus the schedule; its fingerprint
// (SHA-256 of a label and the canonical encoding) is what the operator writes down and keeps
// elsewhere. A signed head carries its epoch key and that key's inclusion proof, checked here
// against the anchor with nothing but proof_verify.h. docs/formats/keys.md has the bytes.
//
//   StatusOr<TrustAnchor> a = TrustAnchorFromJson(fs.ReadFile("anchor.json"));
//   std::cout << FormatFingerprint(Fingerprint(*a));   // kiroku-anchor:1f0c-9a3e-...
//   if (!VerifyKeyInclusion(*a, head.epoch, head.epoch_key, head.epoch_key_proof)) ...
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/status.h"
#include "integrity/hash.h"
#include "integrity/signing/ed25519.h"
#include "integrity/signing/epoch.h"

namespace kiroku::integrity::signing {

inline constexpr uint16_t kTrustAnchorVersion = 1;
inline constexpr size_t kTrustAnchorEncodingSize = 94;

struct TrustAnchor {
  uint16_t version = kTrustAnchorVersion;
  Hash key_tree_root;
  Epoch first_epoch;
  uint64_t epoch_count = 0;
  EpochSchedule schedule;
  // Fingerprint of the anchor this one extends (rollover.h); all zero for the first.
  Hash previous_fingerprint;

  // One past the last epoch this anchor covers.
  Epoch end_epoch() const { return Epoch{first_epoch.value + epoch_count}; }
  bool Covers(Epoch e) const { return e >= first_epoch && e < end_epoch(); }
  friend bool operator==(const TrustAnchor&, const TrustAnchor&) = default;
};

// The canonical 94-byte encoding (big-endian), what the fingerprint and a rollover sign.
std::string EncodeTrustAnchor(const TrustAnchor& anchor);
// kCorruption unless `bytes` is exactly one well-formed version-1 encoding.
StatusOr<TrustAnchor> DecodeTrustAnchor(std::string_view bytes);

// SHA-256(fingerprint label || EncodeTrustAnchor(anchor)).
Hash Fingerprint(const TrustAnchor& anchor);
// "kiroku-anchor:" + 64 hex digits in 16 groups of 4 joined by '-'.
std::string FormatFingerprint(const Hash& fingerprint);
// Accepts the formatted form, with or without the prefix, dashes, spaces or colons, any case.
std::optional<Hash> ParseFingerprint(std::string_view text);

// Key tree leaves (the leaf data, and its RFC 9162 leaf hash).
std::string KeyLeafData(Epoch epoch, const Ed25519PublicKey& key);
Hash KeyLeafHash(Epoch epoch, const Ed25519PublicKey& key);

// True iff `proof` shows `key` is epoch `epoch`'s key in the anchor's key tree (leaf index
// epoch − first_epoch). False for an epoch the anchor does not cover.
bool VerifyKeyInclusion(const TrustAnchor& anchor, Epoch epoch, const Ed25519PublicKey& key,
                        std::span<const Hash> proof);

// JSON form (docs/formats/keys.md). FromJson checks the embedded fingerprint when present.
std::string TrustAnchorToJson(const TrustAnchor& anchor);
StatusOr<TrustAnchor> TrustAnchorFromJson(std::string_view json);

}  // namespace kiroku::integrity::signing

// Domain-separation labels of the signing code: every string that is hashed or signed in front
// of kiroku's key and head structures, written down here and nowhere else.
//
// A label makes a hash or signature of one kind of structure useless as one of another kind:
// a signed tree head can never be replayed as a rollover statement, a ratcheted seed never
// equals an epoch's signing key. Each label is ASCII, ends in a NUL byte (so no label is a
// prefix of another) and names its version; docs/formats/keys.md and heads.md list the same
// bytes. The RFC 9162 Merkle prefixes (0x00 leaf, 0x01 node) are in integrity/hash.h.
//
//   std::string input = std::string(kHeadSignatureLabel) + body;
#pragma once

#include <string_view>

namespace kiroku::integrity::signing {

using namespace std::string_view_literals;

// seed_{e+1} = SHA-256(kSeedRatchetLabel || seed_e)
inline constexpr std::string_view kSeedRatchetLabel = "kiroku/v1 seed ratchet\0"sv;
// Ed25519 private seed of epoch e = SHA-256(kEpochKeyLabel || u64be(e) || seed_e)
inline constexpr std::string_view kEpochKeyLabel = "kiroku/v1 epoch signing key\0"sv;
// Leaf data of the key tree = kKeyLeafLabel || u64be(epoch) || public key (32 bytes)
inline constexpr std::string_view kKeyLeafLabel = "kiroku/v1 epoch public key\0"sv;
// Anchor fingerprint = SHA-256(kAnchorFingerprintLabel || anchor encoding)
inline constexpr std::string_view kAnchorFingerprintLabel = "kiroku/v1 trust anchor\0"sv;
// Printed form of a fingerprint: kFingerprintPrefix + 64 hex digits in groups of 4 joined by '-'
inline constexpr std::string_view kFingerprintPrefix = "kiroku-anchor:"sv;
// Ed25519 signature input of a rollover = kRolloverLabel || new anchor encoding
inline constexpr std::string_view kRolloverLabel = "kiroku/v1 anchor rollover\0"sv;
// Ed25519 signature input of a tree head = kHeadSignatureLabel || head body
inline constexpr std::string_view kHeadSignatureLabel = "kiroku/v1 signed tree head\0"sv;
// Head hash = SHA-256(kHeadHashLabel || head body || signature)
inline constexpr std::string_view kHeadHashLabel = "kiroku/v1 tree head hash\0"sv;

}  // namespace kiroku::integrity::signing

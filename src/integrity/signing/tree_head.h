// TreeHead: a signed statement "the log had tree_size records with this Merkle root at this
// time", chained to the head before it.
//
// The epoch key signs the head body (every field but the signature and the key proof) behind
// the head-signature label; the head hash covers body and signature and is what the next head
// names as its predecessor, so heads form a hash chain a witness can follow. The epoch key's
// inclusion proof in the key tree travels with the head (in JSON) so a verifier needs only the
// trust anchor; the head store keeps it once per epoch. Byte grammar: docs/formats/heads.md.
// Signing is head_signer.h, checking head_verify.h.
//
//   std::string body = EncodeHeadBody(head);        // 143 bytes
//   Hash h = HeadHash(head);                        // next.previous_head_hash
//   std::string json = TreeHeadToJson(head);
//   StatusOr<TreeHead> back = TreeHeadFromJson(json);
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "integrity/hash.h"
#include "integrity/signing/clock_sync.h"
#include "integrity/signing/ed25519.h"
#include "integrity/signing/epoch.h"

namespace kiroku::integrity::signing {

inline constexpr uint16_t kTreeHeadVersion = 1;
inline constexpr size_t kHeadBodySize = 143;

struct TreeHead {
  uint16_t version = kTreeHeadVersion;
  uint64_t tree_size = 0;
  Hash root_hash;
  int64_t timestamp_ns = 0;  // server clock, UTC ns since 1970
  Epoch epoch;
  Hash previous_head_hash;  // all zero for the first head
  ClockSyncState clock;
  Ed25519PublicKey epoch_key;
  std::vector<Hash> epoch_key_proof;  // not signed: it proves epoch_key, which is
  Ed25519Signature signature;

  friend bool operator==(const TreeHead&, const TreeHead&) = default;
};

// The signed fields, big-endian, kHeadBodySize bytes.
std::string EncodeHeadBody(const TreeHead& head);
// Fills every field but signature and epoch_key_proof. kCorruption for a wrong size or version.
StatusOr<TreeHead> DecodeHeadBody(std::string_view body);
// head-signature label || body: what the epoch key signs.
std::string HeadSigningInput(const TreeHead& head);
// SHA-256(head-hash label || body || signature).
Hash HeadHash(const TreeHead& head);

// JSON with every binary field as lower-case hex (docs/formats/heads.md).
std::string TreeHeadToJson(const TreeHead& head);
StatusOr<TreeHead> TreeHeadFromJson(std::string_view json);

}  // namespace kiroku::integrity::signing

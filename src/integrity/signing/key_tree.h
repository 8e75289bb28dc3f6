// The key tree on the writer side: its root and inclusion proofs, from the list of epoch
// public keys (the public key file of key_files.h).
//
// Built on the in-memory RFC 9162 tree of integrity/merkle.h; 87,600 keys (ten years of hours)
// is 2.8 MB of leaf hashes, computed when a proof is needed (once per epoch). Verifiers use
// VerifyKeyInclusion in trust_anchor.h, which does not depend on this file.
//
//   Hash root = KeyTreeRoot(Epoch{0}, keys);
//   std::vector<Hash> proof = KeyTreeProof(Epoch{0}, keys, Epoch{17});
#pragma once

#include <span>
#include <vector>

#include "integrity/hash.h"
#include "integrity/signing/ed25519.h"
#include "integrity/signing/epoch.h"

namespace kiroku::integrity::signing {

// keys[i] is the key of epoch first + i.
std::vector<Hash> KeyLeafHashes(Epoch first, std::span<const Ed25519PublicKey> keys);
Hash KeyTreeRoot(Epoch first, std::span<const Ed25519PublicKey> keys);
// REQUIRES: first <= epoch < first + keys.size()
std::vector<Hash> KeyTreeProof(Epoch first, std::span<const Ed25519PublicKey> keys, Epoch epoch);

}  // namespace kiroku::integrity::signing

#include "integrity/signing/key_tree.h"

#include <cassert>

#include "integrity/merkle.h"
#include "integrity/signing/trust_anchor.h"

namespace kiroku::integrity::signing {

std::vector<Hash> KeyLeafHashes(Epoch first, std::span<const Ed25519PublicKey> keys) {
  std::vector<Hash> leaves;
  leaves.reserve(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    leaves.push_back(KeyLeafHash(Epoch{first.value + i}, keys[i]));
  }
  return leaves;
}

Hash KeyTreeRoot(Epoch first, std::span<const Ed25519PublicKey> keys) {
  return RootOf(KeyLeafHashes(first, keys));
}

std::vector<Hash> KeyTreeProof(Epoch first, std::span<const Ed25519PublicKey> keys, Epoch epoch) {
  assert(epoch >= first && epoch.value - first.value < keys.size());
  return InclusionProof(KeyLeafHashes(first, keys), epoch.value - first.value);
}

}  // namespace kiroku::integrity::signing

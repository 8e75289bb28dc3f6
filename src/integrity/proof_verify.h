// Verification of Merkle inclusion and consistency proofs, RFC 9162 sections 2.1.3.2 and
// 2.1.4.2.
//
// This is the verifier side and depends on nothing but hash.h: not on merkle.h, the tile
// store or anything else that writes trees, so a bug in the writer cannot hide itself by
// being shared with the check. `kiroku verify` and the proof checker use it.
//
//   if (!VerifyInclusion(index, head.size, LeafHashOf(record, &scratch), proof, head.root))
//     return Status::Corruption("record not in the signed tree");
//   if (!VerifyConsistency(old.size, head.size, old.root, head.root, proof))
//     return Status::Corruption("log was rewritten");
#pragma once

#include <cstdint>
#include <span>

#include "integrity/hash.h"

namespace kiroku::integrity {

// True iff `proof` shows that leaf `index` of the tree of `tree_size` leaves, whose root is
// `root`, has hash `leaf_hash`. False for index >= tree_size or a proof of the wrong length.
bool VerifyInclusion(uint64_t index, uint64_t tree_size, const Hash& leaf_hash,
                     std::span<const Hash> proof, const Hash& root);

// True iff `proof` shows that the tree of old_size leaves with root old_root is a prefix of
// the tree of new_size leaves with root new_root. Following RFC 9162: old_size == new_size
// needs an empty proof and equal roots; old_size == 0 is accepted with an empty proof (the
// empty tree is a prefix of every tree); old_size > new_size is false.
bool VerifyConsistency(uint64_t old_size, uint64_t new_size, const Hash& old_root,
                       const Hash& new_root, std::span<const Hash> proof);

}  // namespace kiroku::integrity

// The Merkle tree of RFC 9162 section 2.1, over leaf hashes held in memory.
//
// This is the reference implementation: plain recursion straight from the RFC's definitions
// of MTH, PATH and PROOF. It serves the small trees (the key tree of the signing code, which
// has one leaf per epoch) and is the oracle the persistent tree (tree_reader.h) is tested
// against. It is not for the log itself, which never holds all its leaf hashes in memory.
//
//   std::vector<Hash> leaves = {HashLeaf("a"), HashLeaf("b"), HashLeaf("c")};
//   Hash root = RootOf(leaves);
//   std::vector<Hash> path = InclusionProof(leaves, 2);
//   bool ok = VerifyInclusion(2, leaves.size(), leaves[2], path, root);  // proof_verify.h
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "integrity/hash.h"

namespace kiroku::integrity {

// MTH(leaves); HashEmpty() for no leaves.
Hash RootOf(std::span<const Hash> leaves);

// PATH(index, leaves): the audit path of leaf `index`, nearest sibling first.
// REQUIRES: index < leaves.size().
std::vector<Hash> InclusionProof(std::span<const Hash> leaves, uint64_t index);

// PROOF(old_size, leaves): proves the tree of the first old_size leaves is a prefix of this
// one. Empty when old_size == leaves.size().
// REQUIRES: 0 < old_size <= leaves.size().
std::vector<Hash> ConsistencyProof(std::span<const Hash> leaves, uint64_t old_size);

}  // namespace kiroku::integrity

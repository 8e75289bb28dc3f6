// TreeReader: hashes and proofs over the persistent Merkle tree, for any tree size the log
// has had (old heads' sizes too), without holding the tree in memory.
//
// A proof is O(log n) node hashes, each the hash of an RFC 9162 subtree [begin, end). The
// reader splits such a range into complete subtrees and finds each one where it is cheapest:
// a complete subtree of height h >= 8 comes from the tile store (one stored hash if h is a
// multiple of 8, else the root of at most 128 stored hashes of the height below); one of
// height < 8 comes from leaf hashes that the caller recomputes from the journal through
// LeafSource. Leaves are fetched one 256-leaf group at a time and each group at most once per
// proof: an inclusion proof reads the leaf's group and the tree's last, partial group; a
// consistency proof the last groups of the two trees. Results are identical to merkle.h's.
//
// Complete subtrees the tile store does not cover yet (it lags after a crash until the
// frontier is restored) are computed from leaves: correct, only slower.
//
//   TreeReader reader(store, [&](uint64_t begin, uint64_t end, std::vector<Hash>* out) {
//     return journal.LeafHashes(begin, end, out);  // re-reads records, LeafHashOf each
//   });
//   auto proof = reader.InclusionProof(seq - 1, head.size);
//   auto root = reader.RootAt(head.size);
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "common/status.h"
#include "integrity/hash.h"
#include "integrity/tile_store.h"

namespace kiroku::integrity {

// Appends to *out the leaf hashes of records [begin, end) in the tree's order (leaf i is the
// record with sequence number i + 1).
using LeafSource = std::function<Status(uint64_t begin, uint64_t end, std::vector<Hash>* out)>;

class TreeReader {
 public:
  // Keeps references to both; they must outlive the reader.
  TreeReader(const TileStore& store, LeafSource leaves)
      : store_(store), leaves_(std::move(leaves)) {}
  TreeReader(const TreeReader&) = delete;
  TreeReader& operator=(const TreeReader&) = delete;

  // MTH(D[begin:end]) for an RFC 9162 subtree range: one that occurs as a node of some tree,
  // i.e. begin is a multiple of the smallest power of two >= end - begin.
  // REQUIRES: begin < end, and the range is such a subtree.
  StatusOr<Hash> SubtreeHash(uint64_t begin, uint64_t end) const;
  // The root of the tree of the first `size` leaves; HashEmpty() for 0.
  StatusOr<Hash> RootAt(uint64_t size) const;
  // As merkle.h's InclusionProof over the first `size` leaves. kInvalidArgument unless
  // index < size.
  StatusOr<std::vector<Hash>> InclusionProof(uint64_t index, uint64_t size) const;
  // As merkle.h's ConsistencyProof. kInvalidArgument unless 0 < old_size <= new_size.
  StatusOr<std::vector<Hash>> ConsistencyProof(uint64_t old_size, uint64_t new_size) const;

 private:
  class Query;
  const TileStore& store_;
  LeafSource leaves_;
};

}  // namespace kiroku::integrity

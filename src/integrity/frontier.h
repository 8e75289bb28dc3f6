// Frontier: the right edge of the growing Merkle tree (a compact range from leaf 0), which is
// all the writer keeps in memory.
//
// A tree of n leaves is a row of complete subtrees, one per set bit of n, largest first; the
// frontier holds their hashes (at most 64). Appending a leaf merges equal-sized subtrees the
// way a binary counter carries, so Append costs O(1) amortised and Root() O(log n). Each
// subtree completed at a height that is a positive multiple of kStoredHeightStep (8: 256
// leaves, 16: 65536 leaves, ...) is reported through a callback, which is how the tile store
// (tile_store.h) gets its hashes. The frontier serialises to 8 + 32 * popcount(n) bytes; the
// tile store can also rebuild it (TileStore::RestoreFrontier), so start-up never rehashes
// the log.
//
//   Frontier f;
//   for (const Hash& leaf : leaves) {
//     f.Append(leaf, [&](int height, uint64_t index, const Hash& h) {
//       store.Add(height, index, h);
//     });
//   }
//   Hash root = f.Root();  // == RootOf(leaves)
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "integrity/hash.h"

namespace kiroku::integrity {

// Heights (levels above the leaves) at which interior hashes are persisted: 8, 16, 24, ...
inline constexpr int kStoredHeightStep = 8;

class Frontier {
 public:
  // A completed subtree of 2^height leaves, [index << height, (index + 1) << height).
  using SubtreeCallback = std::function<void(int height, uint64_t index, const Hash& hash)>;

  Frontier() = default;

  // The frontier of a tree of `size` leaves from the hashes of its complete subtrees, largest
  // (leftmost) first. nullopt unless nodes.size() == popcount(size).
  static std::optional<Frontier> FromNodes(uint64_t size, std::vector<Hash> nodes);

  // Adds the next leaf. on_subtree, if set, hears of every subtree this completes whose
  // height is a positive multiple of kStoredHeightStep, lower heights first.
  // REQUIRES: size() < 2^64 - 1.
  void Append(const Hash& leaf_hash, const SubtreeCallback& on_subtree = nullptr);

  uint64_t size() const { return size_; }
  // The root of the tree of size() leaves; HashEmpty() for none.
  Hash Root() const;
  // Hashes of the complete subtrees, largest first; the subtree for bit b of size() has
  // 2^b leaves.
  std::span<const Hash> nodes() const { return nodes_; }

  // size as u64 big-endian, then nodes() in order: 8 + 32 * popcount(size) bytes.
  std::string Serialize() const;
  // nullopt if the length does not match the size.
  static std::optional<Frontier> Parse(std::string_view data);

  friend bool operator==(const Frontier&, const Frontier&) = default;

 private:
  uint64_t size_ = 0;
  std::vector<Hash> nodes_;
};

}  // namespace kiroku::integrity

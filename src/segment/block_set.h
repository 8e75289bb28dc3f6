// BlockSet: a set of block numbers inside one sealed segment (a CRoaring bitmap), the unit the
// term index answers in and the query planner combines.
//
//   BlockSet a = BlockSet::All(segment.block_count());
//   a.IntersectWith(b);
//   a.ForEach([](uint32_t block) { ... });
#pragma once

#include <roaring/roaring.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace kiroku::segment {

class BlockSet {
 public:
  BlockSet();
  ~BlockSet();
  BlockSet(const BlockSet& other);
  BlockSet& operator=(const BlockSet& other);
  BlockSet(BlockSet&& other) noexcept;
  BlockSet& operator=(BlockSet&& other) noexcept;

  static BlockSet All(uint32_t block_count);  // {0, ..., block_count - 1}

  void Add(uint32_t block);
  bool Contains(uint32_t block) const;
  uint64_t Cardinality() const;
  bool Empty() const;
  void IntersectWith(const BlockSet& other);
  void UnionWith(const BlockSet& other);
  void Subtract(const BlockSet& other);
  // In ascending order; stops when fn returns false.
  void ForEach(const std::function<bool(uint32_t)>& fn) const;

  // CRoaring's portable serialisation (interoperable with the other Roaring implementations).
  std::string Serialize() const;
  // False when `bytes` is not a valid portable bitmap (never reads outside `bytes`).
  static bool Deserialize(std::string_view bytes, BlockSet* out);

  friend bool operator==(const BlockSet& a, const BlockSet& b);

 private:
  roaring_bitmap_t* bitmap_;
};

}  // namespace kiroku::segment

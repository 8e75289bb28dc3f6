// How a node is found (docs/formats/merkle.md, "Finding a node"):
//
//   subtree [b, e)  = complete pieces of decreasing size from b, folded right to left
//   complete piece of height h at index i:
//     h >= 8, covered by the store  -> TileStore::SubtreeHash(h, i)
//     h >= 8, not covered           -> its two children (down to 256-leaf groups)
//     h <  8                        -> RootOf(leaf hashes of the piece), from the piece's
//                                      256-leaf group, read once per query
#include "integrity/tree_reader.h"

#include <bit>
#include <map>

#include "integrity/internal/tree_math.h"
#include "integrity/merkle.h"

namespace kiroku::integrity {

// One proof's worth of work: remembers the leaf groups it has read. `limit` is the size of
// the largest tree involved; no leaf at or beyond it is read.
class TreeReader::Query {
 public:
  Query(const TreeReader& reader, uint64_t limit) : reader_(reader), limit_(limit) {}

  StatusOr<Hash> Range(uint64_t begin, uint64_t end) {
    // Pieces: from begin, the largest aligned power of two that fits, then the next.
    std::vector<Hash> pieces;
    for (uint64_t p = begin; p < end;) {
      int height = std::bit_width(end - p) - 1;
      if (p != 0) height = std::min(height, std::countr_zero(p));
      auto h = Complete(height, p >> height);
      if (!h.ok()) return h.status();
      pieces.push_back(*h);
      p += uint64_t{1} << height;
    }
    Hash r = pieces.back();
    for (size_t i = pieces.size() - 1; i-- > 0;) r = HashChildren(pieces[i], r);
    return r;
  }

 private:
  StatusOr<Hash> Complete(int height, uint64_t index) {
    const TileStore& store = reader_.store_;
    if (height >= kStoredHeightStep) {
      if (((index + 1) << height) <= store.Coverage()) return store.SubtreeHash(height, index);
      auto l = Complete(height - 1, 2 * index);
      if (!l.ok()) return l;
      auto r = Complete(height - 1, 2 * index + 1);
      if (!r.ok()) return r;
      return HashChildren(*l, *r);
    }
    const uint64_t first = index << height;
    const uint64_t group = first / TileStore::kGroup;
    auto group_leaves = Group(group);
    if (!group_leaves.ok()) return group_leaves.status();
    const std::vector<Hash>& leaves = **group_leaves;
    const uint64_t offset = first - group * TileStore::kGroup;
    const uint64_t width = uint64_t{1} << height;
    if (offset + width > leaves.size()) {
      return Status::DataLoss("tree reader: leaf source returned too few leaves for [" +
                              std::to_string(first) + ", " + std::to_string(first + width) + ")");
    }
    return RootOf(std::span<const Hash>(leaves).subspan(offset, width));
  }

  // The leaf hashes of a 256-leaf group (fewer for the last group below limit_).
  StatusOr<const std::vector<Hash>*> Group(uint64_t group) {
    auto it = groups_.find(group);
    if (it != groups_.end()) return &it->second;
    const uint64_t begin = group * TileStore::kGroup;
    const uint64_t end = std::min(begin + TileStore::kGroup, limit_);
    std::vector<Hash> leaves;
    leaves.reserve(end - begin);
    KIROKU_RETURN_IF_ERROR(reader_.leaves_(begin, end, &leaves));
    if (leaves.size() != end - begin) {
      return Status::DataLoss("tree reader: asked for leaves [" + std::to_string(begin) + ", " +
                              std::to_string(end) + "), got " + std::to_string(leaves.size()));
    }
    return &groups_.emplace(group, std::move(leaves)).first->second;
  }

  const TreeReader& reader_;
  const uint64_t limit_;
  std::map<uint64_t, std::vector<Hash>> groups_;
};

namespace {

bool IsSubtreeRange(uint64_t begin, uint64_t end) {
  return begin < end && begin % std::bit_ceil(end - begin) == 0;
}

}  // namespace

StatusOr<Hash> TreeReader::SubtreeHash(uint64_t begin, uint64_t end) const {
  if (!IsSubtreeRange(begin, end)) {
    return Status::InvalidArgument("tree reader: [" + std::to_string(begin) + ", " +
                                   std::to_string(end) + ") is not a subtree");
  }
  Query q(*this, end);
  return q.Range(begin, end);
}

StatusOr<Hash> TreeReader::RootAt(uint64_t size) const {
  if (size == 0) return HashEmpty();
  return SubtreeHash(0, size);
}

namespace {

// RFC 9162 PATH over [begin, end), recursing like merkle.cc but on index ranges.
template <typename Q>
Status AppendPath(Q& q, uint64_t m, uint64_t begin, uint64_t end, std::vector<Hash>* out) {
  const uint64_t n = end - begin;
  if (n <= 1) return Status::Ok();
  const uint64_t k = internal::SplitPoint(n);
  StatusOr<Hash> sibling = Hash{};
  if (m < k) {
    KIROKU_RETURN_IF_ERROR(AppendPath(q, m, begin, begin + k, out));
    sibling = q.Range(begin + k, end);
  } else {
    KIROKU_RETURN_IF_ERROR(AppendPath(q, m - k, begin + k, end, out));
    sibling = q.Range(begin, begin + k);
  }
  if (!sibling.ok()) return sibling.status();
  out->push_back(*sibling);
  return Status::Ok();
}

// RFC 9162 SUBPROOF(m, D[begin:end], b).
template <typename Q>
Status AppendSubproof(Q& q, uint64_t m, uint64_t begin, uint64_t end, bool b,
                      std::vector<Hash>* out) {
  const uint64_t n = end - begin;
  if (m == n) {
    if (b) return Status::Ok();
    auto h = q.Range(begin, end);
    if (!h.ok()) return h.status();
    out->push_back(*h);
    return Status::Ok();
  }
  const uint64_t k = internal::SplitPoint(n);
  StatusOr<Hash> node = Hash{};
  if (m <= k) {
    KIROKU_RETURN_IF_ERROR(AppendSubproof(q, m, begin, begin + k, b, out));
    node = q.Range(begin + k, end);
  } else {
    KIROKU_RETURN_IF_ERROR(AppendSubproof(q, m - k, begin + k, end, false, out));
    node = q.Range(begin, begin + k);
  }
  if (!node.ok()) return node.status();
  out->push_back(*node);
  return Status::Ok();
}

}  // namespace

StatusOr<std::vector<Hash>> TreeReader::InclusionProof(uint64_t index, uint64_t size) const {
  if (index >= size) {
    return Status::InvalidArgument("tree reader: no leaf " + std::to_string(index) +
                                   " in a tree of " + std::to_string(size));
  }
  Query q(*this, size);
  std::vector<Hash> out;
  KIROKU_RETURN_IF_ERROR(AppendPath(q, index, 0, size, &out));
  return out;
}

StatusOr<std::vector<Hash>> TreeReader::ConsistencyProof(uint64_t old_size,
                                                         uint64_t new_size) const {
  if (old_size == 0 || old_size > new_size) {
    return Status::InvalidArgument("tree reader: no consistency proof from " +
                                   std::to_string(old_size) + " to " + std::to_string(new_size));
  }
  Query q(*this, new_size);
  std::vector<Hash> out;
  KIROKU_RETURN_IF_ERROR(AppendSubproof(q, old_size, 0, new_size, true, &out));
  return out;
}

}  // namespace kiroku::integrity

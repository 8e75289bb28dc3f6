// Straight from RFC 9162 section 2.1: MTH (2.1.1), PATH (2.1.3.1) and PROOF/SUBPROOF
// (2.1.4.1), recursing on the split point k, the largest power of two below n.
#include "integrity/merkle.h"

#include <cassert>

#include "integrity/internal/tree_math.h"

namespace kiroku::integrity {
namespace {

void AppendPath(std::span<const Hash> leaves, uint64_t m, std::vector<Hash>* out) {
  const uint64_t n = leaves.size();
  if (n <= 1) return;
  const uint64_t k = internal::SplitPoint(n);
  if (m < k) {
    AppendPath(leaves.first(k), m, out);
    out->push_back(RootOf(leaves.subspan(k)));
  } else {
    AppendPath(leaves.subspan(k), m - k, out);
    out->push_back(RootOf(leaves.first(k)));
  }
}

// SUBPROOF(m, D[n], b): b says whether the subtree of the first m leaves is a complete
// subtree of the old tree whose hash the verifier already has (it is the old root).
void AppendSubproof(std::span<const Hash> leaves, uint64_t m, bool b, std::vector<Hash>* out) {
  const uint64_t n = leaves.size();
  if (m == n) {
    if (!b) out->push_back(RootOf(leaves));
    return;
  }
  const uint64_t k = internal::SplitPoint(n);
  if (m <= k) {
    AppendSubproof(leaves.first(k), m, b, out);
    out->push_back(RootOf(leaves.subspan(k)));
  } else {
    AppendSubproof(leaves.subspan(k), m - k, false, out);
    out->push_back(RootOf(leaves.first(k)));
  }
}

}  // namespace

Hash RootOf(std::span<const Hash> leaves) {
  const uint64_t n = leaves.size();
  if (n == 0) return HashEmpty();
  if (n == 1) return leaves[0];
  const uint64_t k = internal::SplitPoint(n);
  return HashChildren(RootOf(leaves.first(k)), RootOf(leaves.subspan(k)));
}

std::vector<Hash> InclusionProof(std::span<const Hash> leaves, uint64_t index) {
  assert(index < leaves.size());
  std::vector<Hash> out;
  AppendPath(leaves, index, &out);
  return out;
}

std::vector<Hash> ConsistencyProof(std::span<const Hash> leaves, uint64_t old_size) {
  assert(old_size > 0 && old_size <= leaves.size());
  std::vector<Hash> out;
  AppendSubproof(leaves, old_size, true, &out);
  return out;
}

}  // namespace kiroku::integrity

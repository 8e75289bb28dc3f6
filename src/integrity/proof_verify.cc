// The verification algorithms of RFC 9162 sections 2.1.3.2 and 2.1.4.2, step for step.
// fn and sn walk the path of the node being proved and of the tree's last node upwards;
// each proof element is a left sibling when fn is a right child (or is the last node at its
// level), a right sibling otherwise.
#include "integrity/proof_verify.h"

namespace kiroku::integrity {
namespace {

bool Lsb(uint64_t x) { return (x & 1) != 0; }

}  // namespace

bool VerifyInclusion(uint64_t index, uint64_t tree_size, const Hash& leaf_hash,
                     std::span<const Hash> proof, const Hash& root) {
  if (index >= tree_size) return false;
  uint64_t fn = index;
  uint64_t sn = tree_size - 1;
  Hash r = leaf_hash;
  for (const Hash& p : proof) {
    if (sn == 0) return false;  // proof longer than the path
    if (Lsb(fn) || fn == sn) {
      r = HashChildren(p, r);
      // Skip the levels where this node has no right sibling (it is the last one).
      while (!Lsb(fn) && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = HashChildren(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

bool VerifyConsistency(uint64_t old_size, uint64_t new_size, const Hash& old_root,
                       const Hash& new_root, std::span<const Hash> proof) {
  if (old_size > new_size) return false;
  if (old_size == new_size) return proof.empty() && old_root == new_root;
  if (old_size == 0) return proof.empty();
  if (proof.empty()) return false;

  // When the old tree is a complete subtree its root is the first node of the path and the
  // proof leaves it out (the verifier has it): put it back in front.
  const bool old_is_power_of_two = (old_size & (old_size - 1)) == 0;
  size_t next = 0;
  Hash fr;
  if (old_is_power_of_two) {
    fr = old_root;
  } else {
    fr = proof[next++];
  }
  Hash sr = fr;

  uint64_t fn = old_size - 1;
  uint64_t sn = new_size - 1;
  while (Lsb(fn)) {
    fn >>= 1;
    sn >>= 1;
  }
  for (; next < proof.size(); ++next) {
    const Hash& c = proof[next];
    if (sn == 0) return false;
    if (Lsb(fn) || fn == sn) {
      fr = HashChildren(c, fr);
      sr = HashChildren(c, sr);
      while (!Lsb(fn) && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = HashChildren(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && fr == old_root && sr == new_root;
}

}  // namespace kiroku::integrity

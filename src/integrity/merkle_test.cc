// Known answers for the in-memory tree: the Certificate Transparency reference vectors (see
// testdata/rfc6962_vectors.h for their source).
#include "integrity/merkle.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "integrity/proof_verify.h"
#include "integrity/testdata/rfc6962_vectors.h"

namespace kiroku::integrity {
namespace {

using testdata::H;
using testdata::Hashes;
using testdata::Unhex;

std::vector<Hash> ReferenceLeaves() {
  std::vector<Hash> leaves;
  for (auto in : testdata::kLeafInputsHex) leaves.push_back(HashLeaf(Unhex(in)));
  return leaves;
}

TEST(MerkleTest, LeafHashesMatchReference) {
  auto leaves = ReferenceLeaves();
  EXPECT_EQ(leaves, Hashes(testdata::kNodeHashesHex[0]));
}

TEST(MerkleTest, RootsMatchReference) {
  auto leaves = ReferenceLeaves();
  for (size_t n = 0; n <= leaves.size(); ++n) {
    EXPECT_EQ(RootOf(std::span(leaves).first(n)), H(testdata::kRootsHex[n])) << n;
  }
}

TEST(MerkleTest, CompleteSubtreesMatchReference) {
  auto leaves = ReferenceLeaves();
  for (size_t level = 0; level < testdata::kNodeHashesHex.size(); ++level) {
    const auto& row = testdata::kNodeHashesHex[level];
    for (size_t i = 0; i < row.size(); ++i) {
      size_t width = size_t{1} << level;
      EXPECT_EQ(RootOf(std::span(leaves).subspan(i * width, width)), H(row[i]))
          << level << "," << i;
    }
  }
}

TEST(MerkleTest, InclusionProofsMatchReference) {
  auto leaves = ReferenceLeaves();
  for (const auto& v : testdata::kInclusionVectors) {
    auto tree = std::span(leaves).first(v.size);
    EXPECT_EQ(InclusionProof(tree, v.index), Hashes(v.proof_hex)) << v.index << "/" << v.size;
  }
}

TEST(MerkleTest, ConsistencyProofsMatchReference) {
  auto leaves = ReferenceLeaves();
  for (const auto& v : testdata::kConsistencyVectors) {
    auto tree = std::span(leaves).first(v.new_size);
    EXPECT_EQ(ConsistencyProof(tree, v.old_size), Hashes(v.proof_hex))
        << v.old_size << "->" << v.new_size;
  }
}

TEST(MerkleTest, GeneratedProofsVerifyForAllSmallTrees) {
  std::vector<Hash> leaves;
  for (int i = 0; i < 70; ++i) leaves.push_back(HashLeaf("leaf " + std::to_string(i)));
  for (uint64_t n = 1; n <= leaves.size(); ++n) {
    auto tree = std::span(leaves).first(n);
    Hash root = RootOf(tree);
    for (uint64_t i = 0; i < n; ++i) {
      EXPECT_TRUE(VerifyInclusion(i, n, leaves[i], InclusionProof(tree, i), root)) << i << "/" << n;
    }
    for (uint64_t m = 1; m <= n; ++m) {
      EXPECT_TRUE(VerifyConsistency(m, n, RootOf(tree.first(m)), root, ConsistencyProof(tree, m)))
          << m << "->" << n;
    }
  }
}

}  // namespace
}  // namespace kiroku::integrity

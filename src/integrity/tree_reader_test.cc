// The persistent tree against the in-memory reference (merkle.h) on trees up to a few hundred
// thousand leaves, with the leaf re-reads counted.
#include "integrity/tree_reader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <random>
#include <string>

#include "common/testing/temp_dir.h"
#include "integrity/frontier.h"
#include "integrity/merkle.h"
#include "integrity/proof_verify.h"

namespace kiroku::integrity {
namespace {

constexpr uint64_t kN = 3 * 65536 + 12345;  // 208,953 leaves: three stored level-16 entries

class TreeReaderTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    leaves_ = new std::vector<Hash>;
    for (uint64_t i = 0; i < kN; ++i) leaves_->push_back(HashLeaf("record " + std::to_string(i)));
  }
  static void TearDownTestSuite() { delete leaves_; }

  void SetUp() override {
    auto store = TileStore::Open(PosixFs::Default(), dir_.path());
    ASSERT_TRUE(store.ok());
    store_ = std::move(*store);
    Frontier f;
    auto sink = store_->Sink();
    for (const Hash& l : *leaves_) f.Append(l, sink);
    ASSERT_TRUE(store_->Sync().ok());
  }

  LeafSource Source() {
    return [this](uint64_t begin, uint64_t end, std::vector<Hash>* out) {
      EXPECT_LE(end, leaves_->size());
      EXPECT_LE(end - begin, 256u) << "reads are one group at a time";
      ++reads_;
      leaves_read_ += end - begin;
      out->insert(out->end(), leaves_->begin() + begin, leaves_->begin() + end);
      return Status::Ok();
    };
  }

  std::span<const Hash> First(uint64_t n) { return std::span(*leaves_).first(n); }

  static std::vector<Hash>* leaves_;
  testing::TempDir dir_;
  std::unique_ptr<TileStore> store_;
  uint64_t reads_ = 0;
  uint64_t leaves_read_ = 0;
};
std::vector<Hash>* TreeReaderTest::leaves_ = nullptr;

TEST_F(TreeReaderTest, ProofsIdenticalToInMemoryTree) {
  TreeReader reader(*store_, Source());
  std::mt19937_64 rng(99);
  // Exact comparison with merkle.h (O(n) each, so a handful), at sizes that stress the
  // boundaries between stored and recomputed nodes.
  std::vector<std::pair<uint64_t, uint64_t>> cases = {
      {0, 1},           {0, 256},         {255, 256},   {256, 257},  {65535, 65536}, {65536, 65537},
      {100000, 131072}, {131071, 131073}, {kN - 1, kN}, {12345, kN}, {0, kN}};
  for (int i = 0; i < 6; ++i) {
    uint64_t n = 1 + rng() % kN;
    cases.emplace_back(rng() % n, n);
  }
  for (auto [index, size] : cases) {
    SCOPED_TRACE(std::to_string(index) + "/" + std::to_string(size));
    leaves_read_ = 0;
    auto proof = reader.InclusionProof(index, size);
    ASSERT_TRUE(proof.ok()) << proof.status().ToString();
    EXPECT_LE(leaves_read_, 2 * 256u);
    EXPECT_EQ(*proof, InclusionProof(First(size), index));
    EXPECT_EQ(*reader.RootAt(size), RootOf(First(size)));
    leaves_read_ = 0;
    uint64_t old_size = index + 1;
    auto cproof = reader.ConsistencyProof(old_size, size);
    ASSERT_TRUE(cproof.ok()) << cproof.status().ToString();
    EXPECT_LE(leaves_read_, 2 * 256u);
    EXPECT_EQ(*cproof, ConsistencyProof(First(size), old_size));
  }
}

TEST_F(TreeReaderTest, ManyRandomProofsVerify) {
  TreeReader reader(*store_, Source());
  std::mt19937_64 rng(5);
  // Roots at sorted random sizes from an independent frontier (checked against RootOf in
  // frontier_test.cc).
  std::vector<uint64_t> sizes;
  for (int i = 0; i < 60; ++i) sizes.push_back(1 + rng() % kN);
  std::sort(sizes.begin(), sizes.end());
  std::vector<Hash> roots;
  Frontier f;
  for (uint64_t s : sizes) {
    while (f.size() < s) f.Append((*leaves_)[f.size()]);
    roots.push_back(f.Root());
  }
  uint64_t max_leaves = 0;
  for (size_t i = 0; i < sizes.size(); ++i) {
    const uint64_t n = sizes[i];
    ASSERT_EQ(*reader.RootAt(n), roots[i]);
    for (int j = 0; j < 5; ++j) {
      uint64_t index = rng() % n;
      leaves_read_ = 0;
      auto proof = reader.InclusionProof(index, n);
      ASSERT_TRUE(proof.ok());
      max_leaves = std::max(max_leaves, leaves_read_);
      EXPECT_TRUE(VerifyInclusion(index, n, (*leaves_)[index], *proof, roots[i]))
          << index << "/" << n;
    }
    for (size_t j = 0; j <= i; j += 7) {
      leaves_read_ = 0;
      auto proof = reader.ConsistencyProof(sizes[j], n);
      ASSERT_TRUE(proof.ok());
      max_leaves = std::max(max_leaves, leaves_read_);
      EXPECT_TRUE(VerifyConsistency(sizes[j], n, roots[j], roots[i], *proof))
          << sizes[j] << "->" << n;
    }
  }
  EXPECT_LE(max_leaves, 512u);
  std::printf("most leaves re-read for one proof: %llu\n",
              static_cast<unsigned long long>(max_leaves));
}

TEST_F(TreeReaderTest, SubtreeHashesAndErrors) {
  TreeReader reader(*store_, Source());
  EXPECT_EQ(*reader.SubtreeHash(65536, 131072), RootOf(First(131072).subspan(65536)));
  EXPECT_EQ(*reader.SubtreeHash(4096, 4096 + 1000), RootOf(First(5096).subspan(4096)));
  EXPECT_EQ(*reader.RootAt(0), HashEmpty());
  EXPECT_EQ(reader.SubtreeHash(3, 7).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(reader.SubtreeHash(5, 5).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(reader.InclusionProof(5, 5).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(reader.ConsistencyProof(0, 5).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(reader.ConsistencyProof(6, 5).status().code(), Status::Code::kInvalidArgument);
  EXPECT_TRUE(reader.ConsistencyProof(kN, kN)->empty());

  TreeReader failing(*store_, [](uint64_t, uint64_t, std::vector<Hash>*) {
    return Status::IoError("journal unreadable");
  });
  EXPECT_EQ(failing.InclusionProof(3, 1000).status().code(), Status::Code::kIoError);
  TreeReader short_source(*store_,
                          [](uint64_t, uint64_t, std::vector<Hash>*) { return Status::Ok(); });
  EXPECT_EQ(short_source.InclusionProof(3, 1000).status().code(), Status::Code::kDataLoss);
}

// Tiles lag behind the leaves (e.g. right after a crash, before the frontier is restored):
// proofs are still right, computed from leaves.
TEST_F(TreeReaderTest, UncoveredSubtreesFallBackToLeaves) {
  testing::TempDir empty_dir;
  auto empty = TileStore::Open(PosixFs::Default(), empty_dir.path());
  ASSERT_TRUE(empty.ok());
  TreeReader reader(**empty, Source());
  const uint64_t n = 3000;
  for (uint64_t index : {0, 255, 1500, 2999}) {
    EXPECT_EQ(*reader.InclusionProof(index, n), InclusionProof(First(n), index));
  }
  EXPECT_EQ(*reader.ConsistencyProof(700, n), ConsistencyProof(First(n), 700));
}

}  // namespace
}  // namespace kiroku::integrity

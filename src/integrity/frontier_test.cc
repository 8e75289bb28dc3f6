#include "integrity/frontier.h"

#include <gtest/gtest.h>

#include <bit>
#include <string>
#include <tuple>

#include "integrity/merkle.h"
#include "integrity/testdata/rfc6962_vectors.h"

namespace kiroku::integrity {
namespace {

using testdata::H;
using testdata::Hashes;
using testdata::Unhex;

std::vector<Hash> MakeLeaves(size_t n) {
  std::vector<Hash> leaves;
  leaves.reserve(n);
  for (size_t i = 0; i < n; ++i) leaves.push_back(HashLeaf("leaf " + std::to_string(i)));
  return leaves;
}

// transparency-dev/merkle testonly.CompactTrees(): the frontier of each reference tree.
TEST(FrontierTest, MatchesReferenceCompactTrees) {
  const auto& nh = testdata::kNodeHashesHex;
  auto H = [](std::string_view hex) { return *Hash::FromHex(hex); };
  const std::vector<std::vector<Hash>> want = {
      {},
      {H(nh[0][0])},
      {H(nh[1][0])},
      {H(nh[1][0]), H(nh[0][2])},
      {H(nh[2][0])},
      {H(nh[2][0]), H(nh[0][4])},
      {H(nh[2][0]), H(nh[1][2])},
      {H(nh[2][0]), H(nh[1][2]), H(nh[0][6])},
      {H(nh[3][0])},
  };
  Frontier f;
  for (size_t n = 0; n <= 8; ++n) {
    if (n > 0) f.Append(HashLeaf(Unhex(testdata::kLeafInputsHex[n - 1])));
    EXPECT_EQ(std::vector<Hash>(f.nodes().begin(), f.nodes().end()), want[n]) << n;
    EXPECT_EQ(f.Root(), *Hash::FromHex(testdata::kRootsHex[n])) << n;
  }
}

TEST(FrontierTest, RootEqualsInMemoryTreeAtEverySize) {
  auto leaves = MakeLeaves(1100);
  Frontier f;
  EXPECT_EQ(f.Root(), HashEmpty());
  for (size_t n = 1; n <= leaves.size(); ++n) {
    f.Append(leaves[n - 1]);
    ASSERT_EQ(f.size(), n);
    ASSERT_EQ(f.nodes().size(), static_cast<size_t>(std::popcount(n)));
    ASSERT_EQ(f.Root(), RootOf(std::span(leaves).first(n))) << n;
  }
}

TEST(FrontierTest, ReportsSubtreesAtMultiplesOfEightHeights) {
  const size_t n = 65536 * 2 + 300;
  auto leaves = MakeLeaves(n);
  std::vector<std::tuple<int, uint64_t, Hash>> got;
  Frontier f;
  for (const Hash& l : leaves) {
    f.Append(
        l, [&](int height, uint64_t index, const Hash& h) { got.emplace_back(height, index, h); });
  }
  // 512 + 1 subtrees of 256 leaves, 2 of 65536, in completion order (lower height first).
  size_t next8 = 0, next16 = 0;
  for (const auto& [height, index, hash] : got) {
    if (height == 8) {
      ASSERT_EQ(index, next8++);
      ASSERT_EQ(hash, RootOf(std::span(leaves).subspan(index * 256, 256)));
    } else {
      ASSERT_EQ(height, 16);
      ASSERT_EQ(index, next16++);
      ASSERT_EQ(next8, (index + 1) * 256) << "level 16 must follow the level 8 that completes it";
      ASSERT_EQ(hash, RootOf(std::span(leaves).subspan(index * 65536, 65536)));
    }
  }
  EXPECT_EQ(next8, n / 256);
  EXPECT_EQ(next16, 2u);
}

TEST(FrontierTest, SerializeRoundTrip) {
  auto leaves = MakeLeaves(777);
  Frontier f;
  for (size_t n = 0; n <= leaves.size(); ++n) {
    if (n > 0) f.Append(leaves[n - 1]);
    std::string s = f.Serialize();
    ASSERT_EQ(s.size(), 8 + 32 * static_cast<size_t>(std::popcount(n)));
    auto back = Frontier::Parse(s);
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(*back, f);
    EXPECT_FALSE(Frontier::Parse(s.substr(0, s.size() - 1)).has_value());
    EXPECT_FALSE(Frontier::Parse(s + "x").has_value());
  }
  // A parsed frontier keeps growing correctly.
  auto g = Frontier::Parse(f.Serialize());
  Hash extra = HashLeaf("more");
  g->Append(extra);
  leaves.push_back(extra);
  EXPECT_EQ(g->Root(), RootOf(leaves));
  EXPECT_FALSE(Frontier::FromNodes(3, {HashEmpty()}).has_value());
}

}  // namespace
}  // namespace kiroku::integrity

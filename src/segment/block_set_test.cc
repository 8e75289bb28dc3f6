#include "segment/block_set.h"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <vector>

namespace kiroku::segment {
namespace {

std::vector<uint32_t> Values(const BlockSet& s) {
  std::vector<uint32_t> v;
  s.ForEach([&](uint32_t b) {
    v.push_back(b);
    return true;
  });
  return v;
}

TEST(BlockSetTest, AllAndEmpty) {
  EXPECT_TRUE(BlockSet().Empty());
  EXPECT_TRUE(BlockSet::All(0).Empty());
  BlockSet a = BlockSet::All(5);
  EXPECT_EQ(a.Cardinality(), 5u);
  EXPECT_EQ(Values(a), (std::vector<uint32_t>{0, 1, 2, 3, 4}));
  EXPECT_FALSE(a.Contains(5));
}

TEST(BlockSetTest, SetOperations) {
  BlockSet a, b;
  for (uint32_t v : {1, 3, 5, 7}) a.Add(v);
  for (uint32_t v : {3, 4, 5}) b.Add(v);
  BlockSet i = a;
  i.IntersectWith(b);
  EXPECT_EQ(Values(i), (std::vector<uint32_t>{3, 5}));
  BlockSet u = a;
  u.UnionWith(b);
  EXPECT_EQ(Values(u), (std::vector<uint32_t>{1, 3, 4, 5, 7}));
  BlockSet d = a;
  d.Subtract(b);
  EXPECT_EQ(Values(d), (std::vector<uint32_t>{1, 7}));
  EXPECT_EQ(Values(a), (std::vector<uint32_t>{1, 3, 5, 7}));  // copies are independent
}

TEST(BlockSetTest, ForEachStops) {
  BlockSet a = BlockSet::All(100);
  int seen = 0;
  a.ForEach([&](uint32_t b) { return ++seen < 3; });
  EXPECT_EQ(seen, 3);
}

TEST(BlockSetTest, MovedFromIsUsable) {
  BlockSet a = BlockSet::All(3);
  BlockSet b = std::move(a);
  EXPECT_EQ(b.Cardinality(), 3u);
  a.Add(9);  // NOLINT(bugprone-use-after-move): documented as usable
  EXPECT_TRUE(a.Contains(9));
  a = std::move(b);
  EXPECT_EQ(a.Cardinality(), 3u);
}

TEST(BlockSetTest, SerializeRoundTrip) {
  std::mt19937_64 rng(5);
  for (int round = 0; round < 50; ++round) {
    BlockSet a;
    std::set<uint32_t> model;
    const uint32_t limit = round % 2 == 0 ? 300 : 200000;
    for (int k = static_cast<int>(rng() % 3000); k > 0; --k) {
      auto v = static_cast<uint32_t>(rng() % limit);
      a.Add(v);
      model.insert(v);
    }
    if (round % 5 == 0) {
      BlockSet run = BlockSet::All(5000);
      a.UnionWith(run);
      for (uint32_t v = 0; v < 5000; ++v) model.insert(v);
    }
    std::string bytes = a.Serialize();
    BlockSet back;
    ASSERT_TRUE(BlockSet::Deserialize(bytes, &back));
    EXPECT_EQ(back, a);
    EXPECT_EQ(Values(back), std::vector<uint32_t>(model.begin(), model.end()));
  }
}

TEST(BlockSetTest, DamagedBytesAreRejectedOrWellFormed) {
  std::mt19937_64 rng(6);
  BlockSet a;
  for (uint32_t v = 0; v < 3000; v += 3) a.Add(v);
  a.UnionWith(BlockSet::All(100));
  for (uint32_t v = 70000; v < 70010; ++v) a.Add(v);
  const std::string good = a.Serialize();
  EXPECT_FALSE(BlockSet::Deserialize("", &a));
  for (size_t cut = 0; cut < good.size(); ++cut) {
    BlockSet out;
    EXPECT_FALSE(BlockSet::Deserialize(std::string_view(good).substr(0, cut), &out)) << cut;
  }
  for (int round = 0; round < 20000; ++round) {
    std::string bad = good;
    for (int k = 1 + static_cast<int>(rng() % 3); k > 0; --k) {
      bad[rng() % bad.size()] = static_cast<char>(rng());
    }
    BlockSet out;
    if (!BlockSet::Deserialize(bad, &out)) continue;
    // Whatever came back is a sane set: ascending values, matching cardinality.
    std::vector<uint32_t> v = Values(out);
    EXPECT_TRUE(std::is_sorted(v.begin(), v.end()));
    EXPECT_EQ(v.size(), out.Cardinality());
  }
}

}  // namespace
}  // namespace kiroku::segment

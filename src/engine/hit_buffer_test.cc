#include "engine/hit_buffer.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace kiroku::engine {
namespace {

std::vector<uint64_t> Drain(HitBuffer& b, int64_t bound) {
  std::vector<uint64_t> seqs;
  b.EmitBefore(bound, [&](const HitBuffer::Entry& e) {
    seqs.push_back(e.seq.value);
    return true;
  });
  return seqs;
}

TEST(HitBufferTest, EmitsInTimeThenSeqOrderOnlyBeforeTheBound) {
  HitBuffer b;
  b.Push(30, SeqNo{1}, "p1", "");
  b.Push(10, SeqNo{5}, "p5", "x");
  b.Push(10, SeqNo{2}, "p2", "");
  b.Push(20, SeqNo{3}, "p3", "");
  EXPECT_EQ(Drain(b, 10), std::vector<uint64_t>{});  // the bound itself waits: a tie may come
  EXPECT_EQ(Drain(b, 21), (std::vector<uint64_t>{2, 5, 3}));
  EXPECT_EQ(b.size(), 1u);
  EXPECT_EQ(Drain(b, INT64_MAX), std::vector<uint64_t>{1});
  EXPECT_TRUE(b.empty());
  EXPECT_EQ(b.bytes(), 0u);
}

TEST(HitBufferTest, KeepsPayloadAndExtra) {
  HitBuffer b;
  b.Push(1, SeqNo{9}, "payload", "extra");
  b.EmitBefore(INT64_MAX, [](const HitBuffer::Entry& e) {
    EXPECT_EQ(e.payload, "payload");
    EXPECT_EQ(e.extra, "extra");
    EXPECT_EQ(e.time_ns, 1);
    return true;
  });
}

TEST(HitBufferTest, KeepHoldsOnlyTheEarliest) {
  HitBuffer b(2);
  b.Push(50, SeqNo{1}, "a", "");
  b.Push(40, SeqNo{2}, "b", "");
  b.Push(60, SeqNo{3}, "c", "");  // later than both kept: dropped
  b.Push(10, SeqNo{4}, "d", "");  // pushes 50 out
  EXPECT_EQ(b.size(), 2u);
  EXPECT_EQ(Drain(b, INT64_MAX), (std::vector<uint64_t>{4, 2}));
}

TEST(HitBufferTest, StopsWhenTheCallbackRefuses) {
  HitBuffer b;
  for (uint64_t i = 1; i <= 5; ++i) b.Push(static_cast<int64_t>(i), SeqNo{i}, "p", "");
  int calls = 0;
  EXPECT_FALSE(b.EmitBefore(INT64_MAX, [&](const HitBuffer::Entry&) { return ++calls < 2; }));
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(b.size(), 3u);
}

// The merge the engine runs: blocks in order of their lowest time, each block's records in any
// order; emitting what is earlier than the next block's lowest time gives the sorted sequence.
TEST(HitBufferTest, MergeOfOverlappingBlocksIsSorted) {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 50; ++round) {
    struct Block {
      int64_t min;
      std::vector<std::pair<int64_t, uint64_t>> recs;
    };
    std::vector<Block> blocks;
    std::vector<std::pair<int64_t, uint64_t>> all;
    uint64_t seq = 1;
    int nblocks = 1 + static_cast<int>(rng() % 8);
    for (int i = 0; i < nblocks; ++i) {
      Block blk;
      blk.min = INT64_MAX;
      int n = 1 + static_cast<int>(rng() % 20);
      int64_t base = static_cast<int64_t>(rng() % 100);
      for (int k = 0; k < n; ++k) {
        int64_t t = base + static_cast<int64_t>(rng() % 30);
        blk.recs.emplace_back(t, seq++);
        blk.min = std::min(blk.min, t);
        all.emplace_back(t, seq - 1);
      }
      blocks.push_back(blk);
    }
    std::sort(blocks.begin(), blocks.end(),
              [](const Block& a, const Block& b) { return a.min < b.min; });
    std::sort(all.begin(), all.end());
    uint64_t limit = rng() % 3 == 0 ? 1 + rng() % 10 : 0;
    HitBuffer buf(limit);
    std::vector<std::pair<int64_t, uint64_t>> got;
    auto take = [&](const HitBuffer::Entry& e) {
      got.emplace_back(e.time_ns, e.seq.value);
      return limit == 0 || got.size() < limit;
    };
    bool more = true;
    for (const Block& blk : blocks) {
      if (!(more = buf.EmitBefore(blk.min, take))) break;
      if (limit) buf.set_keep(limit - got.size());
      for (auto [t, s] : blk.recs) buf.Push(t, SeqNo{s}, "p", "");
    }
    if (more) buf.EmitBefore(INT64_MAX, take);
    if (limit && all.size() > limit) all.resize(limit);
    EXPECT_EQ(got, all) << "round " << round;
  }
}

}  // namespace
}  // namespace kiroku::engine

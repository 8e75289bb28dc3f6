#include "integrity/tile_store.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "common/testing/fault_fs.h"
#include "common/testing/temp_dir.h"
#include "integrity/merkle.h"

namespace kiroku::integrity {
namespace {

constexpr uint64_t k8 = 256;
constexpr uint64_t k16 = 65536;

const std::vector<Hash>& Leaves() {
  static const std::vector<Hash> leaves = [] {
    std::vector<Hash> v;
    for (uint64_t i = 0; i < 2 * k16 + 1000; ++i) v.push_back(HashLeaf("rec " + std::to_string(i)));
    return v;
  }();
  return leaves;
}

std::span<const Hash> LeafRange(uint64_t begin, uint64_t end) {
  return std::span(Leaves()).subspan(begin, end - begin);
}

// Feeds leaves [0, n) through a fresh frontier into the store, then syncs.
Frontier Fill(TileStore& store, uint64_t n) {
  Frontier f;
  auto sink = store.Sink();
  for (uint64_t i = 0; i < n; ++i) f.Append(Leaves()[i], sink);
  EXPECT_TRUE(store.Sync().ok()) << store.status().ToString();
  return f;
}

void ExpectWellFormed(const TileStore& store, uint64_t leaves) {
  EXPECT_EQ(store.Count(8), leaves / k8);
  EXPECT_EQ(store.Count(16), leaves / k16);
  EXPECT_EQ(store.Count(24), 0u);
  EXPECT_TRUE(store.CheckLevels().ok());
}

std::string File(const testing::TempDir& dir, int height) {
  return dir.path() + "/merkle/" + TileStore::FileName(height);
}

TEST(TileStoreTest, FileNames) {
  EXPECT_EQ(TileStore::FileName(8), "level-08.hashes");
  EXPECT_EQ(TileStore::FileName(16), "level-16.hashes");
  EXPECT_EQ(TileStore::FileName(56), "level-56.hashes");
}

TEST(TileStoreTest, StoresCompleteSubtreesAndReopens) {
  testing::TempDir dir;
  const uint64_t n = k16 + 5 * k8 + 17;
  {
    auto store = TileStore::Open(PosixFs::Default(), dir.path() + "/merkle");
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    Fill(**store, n);
    ExpectWellFormed(**store, n);
    for (uint64_t k : {uint64_t{0}, uint64_t{100}, n / k8 - 1}) {
      EXPECT_EQ(*(*store)->Get(8, k), RootOf(LeafRange(k * k8, (k + 1) * k8))) << k;
    }
    EXPECT_EQ(*(*store)->Get(16, 0), RootOf(LeafRange(0, k16)));
    EXPECT_EQ(*(*store)->SubtreeHash(12, 3), RootOf(LeafRange(3 * 4096, 4 * 4096)));
    EXPECT_EQ(*(*store)->SubtreeHash(9, 128), RootOf(LeafRange(128 * 512, 129 * 512)));
  }
  EXPECT_EQ(std::filesystem::file_size(File(dir, 8)), n / k8 * 32);
  EXPECT_EQ(std::filesystem::file_size(File(dir, 16)), 32u);
  EXPECT_FALSE(std::filesystem::exists(File(dir, 24)));

  TileRecovery rec;
  auto store = TileStore::Open(PosixFs::Default(), dir.path() + "/merkle", &rec);
  ASSERT_TRUE(store.ok());
  EXPECT_EQ(rec.torn_bytes_dropped + rec.unbacked_dropped + rec.recomputed, 0u);
  ExpectWellFormed(**store, n);
}

TEST(TileStoreTest, RestoreFrontierAtAnySizeMatchesInMemoryRoot) {
  testing::TempDir dir;
  auto store = TileStore::Open(PosixFs::Default(), dir.path());
  ASSERT_TRUE(store.ok());
  const uint64_t n = 2 * k16 + 600;
  Frontier full = Fill(**store, n);
  std::mt19937_64 rng(7);
  std::vector<uint64_t> sizes = {0, 1, 255, 256, 257, k16 - 1, k16, k16 + 1, 2 * k16, n};
  for (int i = 0; i < 20; ++i) sizes.push_back(rng() % (n + 1));
  for (uint64_t size : sizes) {
    uint64_t base = (*store)->RestoreBase(size);
    EXPECT_EQ(base, size / k8 * k8);
    auto f = (*store)->RestoreFrontier(size, LeafRange(base, size));
    ASSERT_TRUE(f.ok()) << f.status().ToString();
    EXPECT_EQ(f->size(), size);
    EXPECT_EQ(f->Root(), RootOf(LeafRange(0, size))) << size;
  }
  auto f = (*store)->RestoreFrontier(n, LeafRange(n / k8 * k8, n));
  EXPECT_EQ(*f, full);
  EXPECT_EQ((*store)->RestoreFrontier(n, LeafRange(0, 3)).status().code(),
            Status::Code::kInvalidArgument);
}

TEST(TileStoreTest, TornHashIsCutOff) {
  testing::TempDir dir;
  {
    auto store = TileStore::Open(PosixFs::Default(), dir.path());
    Fill(**store, 10 * k8);
  }
  {
    std::ofstream out(dir.path() + "/" + TileStore::FileName(8), std::ios::app | std::ios::binary);
    out << "0123456789";  // a crash in the middle of appending the 11th hash
  }
  TileRecovery rec;
  auto store = TileStore::Open(PosixFs::Default(), dir.path(), &rec);
  ASSERT_TRUE(store.ok());
  EXPECT_EQ(rec.torn_bytes_dropped, 10u);
  EXPECT_EQ((*store)->Count(8), 10u);
  EXPECT_EQ(std::filesystem::file_size(dir.path() + "/" + TileStore::FileName(8)), 320u);
  // Appending resumes at the whole-entry boundary.
  auto f = (*store)->RestoreFrontier(11 * k8, LeafRange(10 * k8, 11 * k8));
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE((*store)->Sync().ok());
  EXPECT_EQ(*(*store)->Get(8, 10), RootOf(LeafRange(10 * k8, 11 * k8)));
}

TEST(TileStoreTest, UpperHeightAheadOfLowerIsCutAndReplayed) {
  testing::TempDir dir;
  {
    auto store = TileStore::Open(PosixFs::Default(), dir.path());
    Fill(**store, k16 + k8);
  }
  // The page cache wrote level 16 but lost the end of level 8 (no ordering between files).
  std::filesystem::resize_file(dir.path() + "/" + TileStore::FileName(8), 200 * 32);
  TileRecovery rec;
  auto store = TileStore::Open(PosixFs::Default(), dir.path(), &rec);
  ASSERT_TRUE(store.ok());
  EXPECT_EQ(rec.unbacked_dropped, 1u);
  EXPECT_EQ((*store)->Count(16), 0u);
  EXPECT_EQ((*store)->RestoreBase(k16 + k8), 200 * k8);
  // The caller replays the journal's leaves from there; the store catches up.
  auto f = (*store)->RestoreFrontier(k16 + k8, LeafRange(200 * k8, k16 + k8));
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->Root(), RootOf(LeafRange(0, k16 + k8)));
  ASSERT_TRUE((*store)->Sync().ok());
  ExpectWellFormed(**store, k16 + k8);
}

TEST(TileStoreTest, LaggingUpperHeightIsRecomputed) {
  testing::TempDir dir;
  {
    auto store = TileStore::Open(PosixFs::Default(), dir.path());
    Fill(**store, 2 * k16);
  }
  std::filesystem::resize_file(dir.path() + "/" + TileStore::FileName(16), 32 + 5);
  TileRecovery rec;
  auto store = TileStore::Open(PosixFs::Default(), dir.path(), &rec);
  ASSERT_TRUE(store.ok());
  EXPECT_EQ(rec.torn_bytes_dropped, 5u);
  EXPECT_EQ(rec.recomputed, 1u);
  ExpectWellFormed(**store, 2 * k16);
  EXPECT_EQ(*(*store)->Get(16, 1), RootOf(LeafRange(k16, 2 * k16)));
}

TEST(TileStoreTest, AddChecksReplayedEntriesAndRejectsGaps) {
  testing::TempDir dir;
  auto store = TileStore::Open(PosixFs::Default(), dir.path());
  Fill(**store, 3 * k8);
  TileStore& s = **store;
  EXPECT_TRUE(s.Add(8, 1, *s.Get(8, 1)).ok());
  EXPECT_EQ(s.Add(8, 1, HashEmpty()).code(), Status::Code::kCorruption);
  EXPECT_EQ(s.Add(8, 5, HashEmpty()).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(s.Add(12, 0, HashEmpty()).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(s.Count(8), 3u);
  EXPECT_TRUE(s.status().ok());  // Add's answers are not sticky; only Sink's are
  // A replay that disagrees with what is stored poisons the sink.
  Frontier f;
  auto sink = s.Sink();
  for (int i = 0; i < 256; ++i) f.Append(HashLeaf("other " + std::to_string(i)), sink);
  EXPECT_EQ(s.status().code(), Status::Code::kCorruption);
  EXPECT_EQ(s.Sync().code(), Status::Code::kCorruption);
}

TEST(TileStoreTest, CheckLevelsFindsAlteredEntry) {
  testing::TempDir dir;
  {
    auto store = TileStore::Open(PosixFs::Default(), dir.path());
    Fill(**store, k16);
  }
  {
    std::fstream f(dir.path() + "/" + TileStore::FileName(8),
                   std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(77 * 32 + 5);
    f.put('\x42');
  }
  auto store = TileStore::Open(PosixFs::Default(), dir.path());
  ASSERT_TRUE(store.ok());
  Status s = (*store)->CheckLevels();
  EXPECT_EQ(s.code(), Status::Code::kCorruption);
  EXPECT_NE(s.message().find("level-16.hashes entry 0"), std::string::npos) << s.ToString();
}

TEST(TileStoreTest, WriteErrorsAreStickyAndLeaveWholeEntries) {
  testing::TempDir dir;
  testing::FaultFs fs;
  auto store = TileStore::Open(fs, dir.path());
  ASSERT_TRUE(store.ok());
  Fill(**store, 4 * k8);
  fs.Fail(testing::FaultFs::Op::kAppend, 1, ENOSPC, /*sticky=*/false, /*keep=*/7);
  Frontier f = *(*store)->RestoreFrontier(4 * k8, {});
  auto sink = (*store)->Sink();
  for (uint64_t i = 4 * k8; i < 6 * k8; ++i) f.Append(Leaves()[i], sink);
  EXPECT_EQ((*store)->status().code(), Status::Code::kIoError);
  EXPECT_FALSE((*store)->Sync().ok());
  EXPECT_EQ((*store)->Count(8), 4u);
  EXPECT_EQ(std::filesystem::file_size(dir.path() + "/" + TileStore::FileName(8)), 4 * 32u);
  fs.Heal();
  // Reopening (what a restart does) resumes from the journal's leaves.
  store = TileStore::Open(fs, dir.path());
  ASSERT_TRUE(store.ok());
  auto g = (*store)->RestoreFrontier(6 * k8, LeafRange(4 * k8, 6 * k8));
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  ASSERT_TRUE((*store)->Sync().ok());
  EXPECT_EQ((*store)->Count(8), 6u);
}

TEST(TileStoreTest, FailedSyncIsSticky) {
  testing::TempDir dir;
  testing::FaultFs fs;
  auto store = TileStore::Open(fs, dir.path());
  Fill(**store, k8);
  fs.Fail(testing::FaultFs::Op::kSync, 1, EIO, /*sticky=*/false);
  (*store)->Sink()(8, 1, RootOf(LeafRange(k8, 2 * k8)));
  EXPECT_FALSE((*store)->Sync().ok());
  EXPECT_FALSE((*store)->Sync().ok());  // not retried as if nothing happened
}

TEST(TileStoreTest, CrashLosesOnlyUnsyncedEntries) {
  testing::TempDir dir;
  testing::FaultFs fs;
  {
    auto store = TileStore::Open(fs, dir.path());
    Fill(**store, k16 - k8);  // synced
    Frontier f = *(*store)->RestoreFrontier(k16 - k8, {});
    auto sink = (*store)->Sink();
    for (uint64_t i = k16 - k8; i < k16 + 3 * k8; ++i) f.Append(Leaves()[i], sink);
    // no Sync: crash
  }
  fs.DropUnsyncedData();
  auto store = TileStore::Open(fs, dir.path());
  ASSERT_TRUE(store.ok());
  EXPECT_EQ((*store)->Count(8), 255u);
  EXPECT_EQ((*store)->Count(16), 0u);
  auto f = (*store)->RestoreFrontier(k16 + 3 * k8, LeafRange(k16 - k8, k16 + 3 * k8));
  ASSERT_TRUE(f.ok());
  ASSERT_TRUE((*store)->Sync().ok());
  ExpectWellFormed(**store, k16 + 3 * k8);
}

}  // namespace
}  // namespace kiroku::integrity

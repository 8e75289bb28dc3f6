#include "evidence/tree_builder.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "common/clock.h"
#include "common/metrics.h"
#include "common/testing/temp_dir.h"
#include "integrity/leaf.h"
#include "integrity/merkle.h"
#include "store/committer.h"

namespace kiroku::evidence {
namespace {

using integrity::Hash;

RecordView View(const std::string& raw, int64_t t) {
  RecordView r;
  r.receive_time_ns = t;
  r.transport = Transport::kTcp;
  r.peer.family = 4;
  r.peer.addr = {192, 0, 2, 9};
  r.peer.port = 514;
  r.original_length = static_cast<uint32_t>(raw.size());
  r.raw = raw;
  return r;
}

class TreeBuilderTest : public ::testing::Test {
 protected:
  std::string Merkle() { return dir_.path() + "/merkle"; }
  std::string Journal() { return dir_.path() + "/journal"; }

  // Appends n records through a committer whose observer feeds `tree` (if any). Returns the
  // leaf hashes of every record so far.
  void Append(int n, TreeBuilder* tree) {
    store::CommitterOptions o;
    o.journal_dir = Journal();
    o.sync = false;
    if (tree) o.on_committed = tree->Observer();
    auto c = store::Committer::Open(fs_, clock_, metrics_, o);
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    if (tree && !started_) {
      ASSERT_TRUE(tree->Start((*c)->last_durable().value).ok());
      started_ = true;
    }
    for (int i = 0; i < n;) {
      store::RecordBatch b;
      for (int k = 0; k < 37 && i < n; ++k, ++i) {
        std::string raw = "<13>1 - h app - - - record " + std::to_string(leaves_.size());
        RecordView r = View(raw, 1'700'000'000'000'000'000 + static_cast<int64_t>(leaves_.size()));
        r.seq = SeqNo{leaves_.size() + 1};
        leaves_.push_back(integrity::LeafHashOf(r, &scratch_));
        b.Add(r);
      }
      ASSERT_TRUE((*c)->SubmitAndWait(b).ok());
    }
    (*c)->Stop();
    if (tree) {
      ASSERT_TRUE(tree->WaitForSize(leaves_.size(), 10'000'000'000));
    }
  }

  testing::TempDir dir_;
  PosixFs fs_;
  FakeClock clock_{1'700'000'000'000'000'000};
  Metrics metrics_;
  std::vector<Hash> leaves_;
  std::string scratch_;
  bool started_ = false;
};

TEST_F(TreeBuilderTest, GrowsWithTheJournalAndMatchesTheReferenceTree) {
  auto tree = TreeBuilder::Open(fs_, Merkle(), Journal());
  ASSERT_TRUE(tree.ok());
  Append(1000, tree->get());
  TreeSnapshot snap = (*tree)->Snapshot();
  EXPECT_EQ(snap.size, 1000u);
  EXPECT_EQ(snap.root, integrity::RootOf(leaves_));
  auto synced = (*tree)->SyncedSnapshot();
  ASSERT_TRUE(synced.ok());
  EXPECT_EQ(synced->root, snap.root);
  EXPECT_EQ((*tree)->tiles().Coverage(), 768u);
  EXPECT_TRUE((*tree)->status().ok());
}

TEST_F(TreeBuilderTest, RestartRecomputesOnlyTheLeavesAfterTheTiles) {
  {
    auto tree = TreeBuilder::Open(fs_, Merkle(), Journal());
    ASSERT_TRUE(tree.ok());
    Append(1000, tree->get());
    ASSERT_TRUE((*tree)->SyncedSnapshot().ok());
  }
  auto tree = TreeBuilder::Open(fs_, Merkle(), Journal());
  ASSERT_TRUE(tree.ok());
  TreeStartReport report;
  ASSERT_TRUE((*tree)->Start(1000, &report).ok());
  EXPECT_EQ(report.tile_coverage, 768u);
  EXPECT_EQ(report.restore_base, 768u);
  EXPECT_EQ(report.leaves_recomputed, 232u);
  EXPECT_EQ((*tree)->Snapshot().root, integrity::RootOf(leaves_));
  started_ = true;
  Append(300, tree->get());  // and it keeps growing from there
  EXPECT_EQ((*tree)->Snapshot().root, integrity::RootOf(leaves_));
}

TEST_F(TreeBuilderTest, TilesBehindTheJournalAreCaughtUpFromTheJournal) {
  {
    auto tree = TreeBuilder::Open(fs_, Merkle(), Journal());
    ASSERT_TRUE(tree.ok());
    Append(1000, tree->get());
    ASSERT_TRUE((*tree)->SyncedSnapshot().ok());
  }
  // A crash that lost the last two tile entries (never synced).
  std::filesystem::resize_file(Merkle() + "/" + integrity::TileStore::FileName(8), 32);
  auto tree = TreeBuilder::Open(fs_, Merkle(), Journal());
  ASSERT_TRUE(tree.ok());
  TreeStartReport report;
  ASSERT_TRUE((*tree)->Start(1000, &report).ok());
  EXPECT_EQ(report.tile_coverage, 256u);
  EXPECT_EQ(report.leaves_recomputed, 744u);
  EXPECT_EQ((*tree)->Snapshot().root, integrity::RootOf(leaves_));
  EXPECT_EQ((*tree)->tiles().Coverage(), 768u);  // the tail re-completed the lost subtrees
}

TEST_F(TreeBuilderTest, JournalShorterThanTheTilesRefusesToStart) {
  {
    auto tree = TreeBuilder::Open(fs_, Merkle(), Journal());
    ASSERT_TRUE(tree.ok());
    Append(1000, tree->get());
    ASSERT_TRUE((*tree)->SyncedSnapshot().ok());
  }
  const auto tiles_before = std::filesystem::file_size(Merkle() + "/level-08.hashes");
  // The journal replaced by a shorter one: truncation evidence.
  std::filesystem::remove_all(Journal());
  leaves_.clear();
  Append(300, nullptr);
  auto tree = TreeBuilder::Open(fs_, Merkle(), Journal());
  ASSERT_TRUE(tree.ok());
  Status s = (*tree)->Start(300);
  EXPECT_EQ(s.code(), Status::Code::kDataLoss);
  EXPECT_NE(s.message().find("300"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("768"), std::string::npos) << s.message();
  EXPECT_EQ(std::filesystem::file_size(Merkle() + "/level-08.hashes"), tiles_before);
}

TEST_F(TreeBuilderTest, EmptyLogHasTheEmptyRoot) {
  auto tree = TreeBuilder::Open(fs_, Merkle(), Journal());
  ASSERT_TRUE(tree.ok());
  ASSERT_TRUE((*tree)->Start(0).ok());
  EXPECT_EQ((*tree)->Snapshot().size, 0u);
  EXPECT_EQ((*tree)->Snapshot().root, integrity::HashEmpty());
}

}  // namespace
}  // namespace kiroku::evidence

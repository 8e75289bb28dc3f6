#include "store/recovery.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/crc32c.h"
#include "common/testing/fault_fs.h"
#include "common/testing/log_capture.h"
#include "common/testing/temp_dir.h"
#include "store/committer.h"
#include "store/internal/coding.h"
#include "store/journal_files.h"
#include "store/journal_format.h"
#include "store/store_test_util.h"

namespace kiroku::store {
namespace {

namespace j = journal;
using kiroku::testing::FaultFs;
using kiroku::testing::LogCapture;
using ::testing::ElementsAre;
using testing::Frame;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::Numbered;
using testing::ReadFile;
using testing::SampleView;
using testing::ScanAll;
using testing::SegmentBytes;
using ::testing::UnorderedElementsAre;
using testing::WriteFile;

class RecoveryTest : public ::testing::Test {
 protected:
  std::string Seg(uint64_t first) { return SegmentPath(journal_, SeqNo{first}); }
  std::string Cut(uint64_t first, uint64_t off) {
    return JoinPath(journal_, CutFileName(SeqNo{first}, off));
  }
  void SetUp() override { ASSERT_TRUE(fs_.CreateDirs(journal_).ok()); }
  StatusOr<RecoveredJournal> Recover() { return RecoverJournal(fs_, clock_, journal_); }
  std::vector<uint64_t> Seqs() {
    std::vector<uint64_t> v;
    for (const auto& r : ScanAll(fs_, journal_)) v.push_back(r.view.seq.value);
    return v;
  }
  std::vector<std::string> Files() { return *fs_.ListDir(journal_); }

  kiroku::testing::TempDir dir_;
  std::string journal_ = dir_.path() + "/journal";
  FaultFs fs_;
  FakeClock clock_{1'700'000'000'000'000'000};
};

TEST_F(RecoveryTest, EmptyDirectoryGetsSegmentOne) {
  auto rec = Recover();
  ASSERT_TRUE(rec.ok()) << rec.status().ToString();
  EXPECT_EQ(SeqNo{1}, rec->next_seq);
  EXPECT_EQ(SeqNo{1}, rec->active_first);
  EXPECT_EQ(j::kFileHeaderSize, rec->active->Size());
  EXPECT_EQ(1u, rec->segments);
  EXPECT_THAT(Files(), ElementsAre(SegmentFileName(SeqNo{1})));
}

TEST_F(RecoveryTest, CleanJournalIsLeftAlone) {
  WriteFile(Seg(1), SegmentBytes(1, Numbered("r", 3)));
  const std::string seg4 = SegmentBytes(4, Numbered("s", 2));
  WriteFile(Seg(4), seg4);
  LogCapture log;
  auto rec = Recover();
  ASSERT_TRUE(rec.ok());
  EXPECT_EQ(SeqNo{6}, rec->next_seq);
  EXPECT_EQ(SeqNo{4}, rec->active_first);
  EXPECT_EQ(seg4.size(), rec->active->Size());
  EXPECT_EQ(0u, rec->bytes_cut);
  EXPECT_EQ(2u, rec->segments);
  EXPECT_EQ(ReadFile(Seg(1)).size() + seg4.size(), rec->journal_bytes);
  EXPECT_EQ("", log.text());
}

TEST_F(RecoveryTest, EmptyNewestSegmentTakesTheNextSeqFromItsName) {
  WriteFile(Seg(42), SegmentBytes(42, {}));
  auto rec = Recover();
  ASSERT_TRUE(rec.ok());
  EXPECT_EQ(SeqNo{42}, rec->next_seq);
}

// The torn write of every length: a crash can stop the last frame after any byte.
TEST_F(RecoveryTest, TornTailAtEveryByteOffsetOfTheLastRecordThroughCommitter) {
  const std::string whole = SegmentBytes(1, {"first", "second", "the last record, torn"});
  const std::string last = Frame(3, "the last record, torn");
  const size_t keep = whole.size() - last.size();
  Metrics metrics;
  for (size_t torn = 0; torn < last.size(); ++torn) {
    SCOPED_TRACE("torn bytes: " + std::to_string(torn));
    for (const std::string& f : Files()) ASSERT_TRUE(fs_.Remove(JoinPath(journal_, f)).ok());
    WriteFile(Seg(1), whole.substr(0, keep + torn));
    LogCapture log;
    CommitterOptions o;
    o.journal_dir = journal_;
    auto c = Committer::Open(fs_, clock_, metrics, o);
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    EXPECT_EQ(SeqNo{2}, (*c)->last_durable());
    EXPECT_EQ(keep, *fs_.FileSize(Seg(1)));
    if (torn == 0) {
      EXPECT_THAT(Files(), ElementsAre(SegmentFileName(SeqNo{1})));
      EXPECT_EQ("", log.text());
    } else {
      EXPECT_THAT(Files(),
                  UnorderedElementsAre(SegmentFileName(SeqNo{1}), CutFileName(SeqNo{1}, keep)));
      EXPECT_EQ(last.substr(0, torn), ReadFile(Cut(1, keep)));
      EXPECT_THAT(log.text(), HasSubstr("warning journal: cut torn tail of " + Seg(1) +
                                        " at offset " + std::to_string(keep) + ": " +
                                        std::to_string(torn) + " bytes (after seq 2)"));
      EXPECT_THAT(log.text(), Not(HasSubstr("intact")));
    }
    RecordBatch b;
    b.Add(SampleView("replacement"));
    ASSERT_TRUE((*c)->SubmitAndWait(b).ok());
    EXPECT_EQ(SeqNo{3}, (*c)->last_durable());
    (*c)->Stop();
    ScanStats stats;
    auto rs = ScanAll(fs_, journal_, &stats);
    ASSERT_EQ(3u, rs.size());
    EXPECT_EQ("replacement", rs[2].raw);
    EXPECT_TRUE(stats.problems.empty());
  }
}

TEST_F(RecoveryTest, ZeroFilledTailIsCutAndSaved) {
  const std::string seg = SegmentBytes(1, Numbered("r", 3));
  WriteFile(Seg(1), seg + std::string(8192, '\0'));
  LogCapture log;
  auto rec = Recover();
  ASSERT_TRUE(rec.ok());
  EXPECT_EQ(SeqNo{4}, rec->next_seq);
  EXPECT_EQ(8192u, rec->bytes_cut);
  EXPECT_EQ(seg, ReadFile(Seg(1)));
  EXPECT_EQ(std::string(8192, '\0'), ReadFile(Cut(1, seg.size())));
  EXPECT_THAT(log.text(), HasSubstr("impossible frame length 0"));
}

TEST_F(RecoveryTest, DamageInsideWrittenDataIsCutButCalledDamage) {
  const std::string head = SegmentBytes(1, Numbered("r", 2));
  std::string bad = Frame(3, "damaged");
  bad[20] ^= 1;
  const std::string rest = Frame(4, "intact 4") + Frame(5, "intact 5");
  WriteFile(Seg(1), head + bad + rest);
  LogCapture log;
  auto rec = Recover();
  ASSERT_TRUE(rec.ok());
  EXPECT_EQ(SeqNo{3}, rec->next_seq);  // seqs stay dense
  EXPECT_EQ(head, ReadFile(Seg(1)));
  EXPECT_EQ(bad + rest, ReadFile(Cut(1, head.size())));
  EXPECT_THAT(log.text(), HasSubstr("CRC mismatch"));
  EXPECT_THAT(log.text(), HasSubstr("hold 2 intact records (seq 4..5)"));
}

TEST_F(RecoveryTest, OutOfSequenceRecordIsACutPoint) {
  const std::string head = SegmentBytes(1, Numbered("r", 2));
  WriteFile(Seg(1), head + Frame(7, "stray"));
  LogCapture log;
  auto rec = Recover();
  ASSERT_TRUE(rec.ok());
  EXPECT_EQ(SeqNo{3}, rec->next_seq);
  EXPECT_THAT(log.text(), HasSubstr("seq 7 where 3 was due"));
}

TEST_F(RecoveryTest, PartialHeaderOfTheNewestSegmentIsRewritten) {
  WriteFile(Seg(1), SegmentBytes(1, Numbered("r", 3)));
  const std::string partial = SegmentBytes(4, {}).substr(0, 17);
  WriteFile(Seg(4), partial);
  LogCapture log;
  auto rec = Recover();
  ASSERT_TRUE(rec.ok());
  EXPECT_EQ(SeqNo{4}, rec->next_seq);
  EXPECT_EQ(SeqNo{4}, rec->active_first);
  EXPECT_EQ(SegmentBytes(4, {}).substr(0, 16), ReadFile(Seg(4)).substr(0, 16));
  EXPECT_EQ(j::kFileHeaderSize, ReadFile(Seg(4)).size());
  EXPECT_EQ(partial, ReadFile(Cut(4, 0)));
  EXPECT_THAT(log.text(), HasSubstr("incomplete file header"));
  EXPECT_THAT(Seqs(), ElementsAre(1, 2, 3));
}

TEST_F(RecoveryTest, ZeroLengthNewestSegmentGetsAHeaderWithoutACutFile) {
  WriteFile(Seg(1), SegmentBytes(1, Numbered("r", 3)));
  WriteFile(Seg(4), "");
  auto rec = Recover();
  ASSERT_TRUE(rec.ok());
  EXPECT_EQ(SeqNo{4}, rec->next_seq);
  EXPECT_EQ(j::kFileHeaderSize, ReadFile(Seg(4)).size());
  EXPECT_EQ(2u, Files().size());
}

TEST_F(RecoveryTest, DamagedHeaderKeepsItsRecordsAndStartsANewSegment) {
  std::string seg = SegmentBytes(1, Numbered("r", 3));
  seg[0] = 'X';
  WriteFile(Seg(1), seg);
  LogCapture log;
  auto rec = Recover();
  ASSERT_TRUE(rec.ok());
  EXPECT_EQ(SeqNo{4}, rec->next_seq);
  EXPECT_EQ(SeqNo{4}, rec->active_first);
  EXPECT_EQ(seg, ReadFile(Seg(1)));  // untouched, for the reader and for forensics
  EXPECT_THAT(log.text(), HasSubstr("damaged header (bad magic)"));
  rec->active.reset();
  EXPECT_THAT(Seqs(), ElementsAre(1, 2, 3));
}

TEST_F(RecoveryTest, NewerFormatVersionRefusesToOpen) {
  std::string seg = SegmentBytes(1, {});
  internal::EncodeFixed32(seg.data() + j::kHeaderVersionOffset, 9);
  internal::EncodeFixed32(seg.data() + j::kHeaderCrcOffset,
                          crc32c::Mask(crc32c::Value(seg.data(), j::kHeaderCrcOffset)));
  WriteFile(Seg(1), seg);
  auto rec = Recover();
  EXPECT_EQ(Status::Code::kInvalidArgument, rec.status().code());
  EXPECT_THAT(rec.status().message(), HasSubstr("version 9"));
}

TEST_F(RecoveryTest, ASecondCutAtTheSameOffsetKeepsTheFirst) {
  const std::string seg = SegmentBytes(1, Numbered("r", 1));
  WriteFile(Seg(1), seg + "first garbage");
  ASSERT_TRUE(Recover().ok());
  WriteFile(Seg(1), seg + "second garbage");
  ASSERT_TRUE(Recover().ok());
  EXPECT_EQ("first garbage", ReadFile(Cut(1, seg.size())));
  EXPECT_EQ("second garbage", ReadFile(Cut(1, seg.size()) + ".1"));
}

TEST_F(RecoveryTest, NothingIsCutUnlessTheCopyIsSafe) {
  const std::string seg = SegmentBytes(1, Numbered("r", 2)) + "torn";
  WriteFile(Seg(1), seg);
  fs_.Fail(FaultFs::Op::kSync, 1, ENOSPC);
  auto rec = Recover();
  EXPECT_FALSE(rec.ok());
  EXPECT_THAT(rec.status().message(), HasSubstr("No space left on device"));
  EXPECT_EQ(seg, ReadFile(Seg(1)));
  fs_.Heal();
  ASSERT_TRUE(Recover().ok());
  EXPECT_EQ("torn", ReadFile(Cut(1, seg.size() - 4)));
}

}  // namespace
}  // namespace kiroku::store

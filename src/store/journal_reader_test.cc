#include "store/journal_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/crc32c.h"
#include "common/testing/temp_dir.h"
#include "store/internal/coding.h"
#include "store/journal_files.h"
#include "store/journal_format.h"
#include "store/store_test_util.h"

namespace kiroku::store {
namespace {

namespace j = journal;
using ::testing::ElementsAre;
using testing::Frame;
using ::testing::HasSubstr;
using testing::Numbered;
using testing::ScanAll;
using testing::SegmentBytes;
using testing::WriteFile;

class JournalReaderTest : public ::testing::Test {
 protected:
  std::string Seg(uint64_t first) { return SegmentPath(dir_.path(), SeqNo{first}); }
  std::vector<uint64_t> Seqs(const std::vector<testing::Owned>& rs) {
    std::vector<uint64_t> v;
    for (const auto& r : rs) v.push_back(r.view.seq.value);
    return v;
  }
  kiroku::testing::TempDir dir_;
  Fs& fs_ = PosixFs::Default();
};

TEST_F(JournalReaderTest, EmptyDirectoryHasNoRecords) {
  ScanStats stats;
  EXPECT_TRUE(ScanAll(fs_, dir_.path(), &stats).empty());
  EXPECT_EQ(0u, stats.segments);
  EXPECT_TRUE(stats.problems.empty());
}

TEST_F(JournalReaderTest, MissingDirectoryIsAnError) {
  Status s = ScanJournal(
      fs_, dir_.path() + "/nope", {}, [](const RecordView&) { return true; }, nullptr);
  EXPECT_EQ(Status::Code::kNotFound, s.code());
}

TEST_F(JournalReaderTest, ReadsSegmentsInOrderWithEveryField) {
  WriteFile(Seg(4), SegmentBytes(4, {"d", "e"}));
  WriteFile(Seg(1), SegmentBytes(1, {"a", "b", "c"}));
  WriteFile(JoinPath(dir_.path(), "cut-00000000000000000001-40.bin"), "ignored");
  ScanStats stats;
  auto rs = ScanAll(fs_, dir_.path(), &stats);
  EXPECT_THAT(Seqs(rs), ElementsAre(1, 2, 3, 4, 5));
  ASSERT_EQ(5u, rs.size());
  EXPECT_EQ("a", rs[0].raw);
  EXPECT_EQ("e", rs[4].raw);
  RecordView want = testing::SampleView("c");
  const RecordView& got = rs[2].view;
  EXPECT_EQ(want.receive_time_ns, got.receive_time_ns);
  EXPECT_EQ(want.peer, got.peer);
  EXPECT_EQ(want.transport, got.transport);
  EXPECT_EQ(want.header.device_time_ns, got.header.device_time_ns);
  EXPECT_EQ(want.header.msg, got.header.msg);
  EXPECT_EQ(5u, stats.records);
  EXPECT_EQ(2u, stats.segments);
  EXPECT_EQ(0u, stats.bytes_skipped);
  EXPECT_TRUE(stats.problems.empty());
}

TEST_F(JournalReaderTest, MinSeqSkipsWholeSegmentsByName) {
  WriteFile(Seg(1), SegmentBytes(1, {"a", "b", "c"}));
  WriteFile(Seg(4), SegmentBytes(4, {"d", "e"}));
  WriteFile(Seg(6), SegmentBytes(6, {"f", "g"}));
  ScanStats stats;
  ScanOptions opts;
  opts.min_seq = SeqNo{5};
  auto rs = ScanAll(fs_, dir_.path(), &stats, opts);
  EXPECT_THAT(Seqs(rs), ElementsAre(5, 6, 7));
  EXPECT_EQ(2u, stats.segments);  // segment 1 never opened
  EXPECT_TRUE(stats.problems.empty());
  opts.min_seq = SeqNo{6};
  stats = {};
  EXPECT_THAT(Seqs(ScanAll(fs_, dir_.path(), &stats, opts)), ElementsAre(6, 7));
  EXPECT_EQ(1u, stats.segments);
}

TEST_F(JournalReaderTest, CallbackCanStopTheScan) {
  WriteFile(Seg(1), SegmentBytes(1, {"a", "b", "c"}));
  int calls = 0;
  ASSERT_TRUE(ScanJournal(
                  fs_, dir_.path(), {}, [&](const RecordView&) { return ++calls < 2; }, nullptr)
                  .ok());
  EXPECT_EQ(2, calls);
}

TEST_F(JournalReaderTest, GarbageInTheMiddleIsSkippedCountedAndReported) {
  std::string head = SegmentBytes(1, Numbered("rec", 4));
  std::string tail = Frame(5, "rec4") + Frame(6, "rec5");
  const std::string garbage = "\x01\x02garbage that is not a frame at all\xff";
  WriteFile(Seg(1), head + garbage + tail);
  WriteFile(Seg(7), SegmentBytes(7, {"later"}));  // so segment 1 is not the newest
  ScanStats stats;
  auto rs = ScanAll(fs_, dir_.path(), &stats);
  EXPECT_THAT(Seqs(rs), ElementsAre(1, 2, 3, 4, 5, 6, 7));
  EXPECT_EQ(garbage.size(), stats.bytes_skipped);
  ASSERT_EQ(1u, stats.problems.size());
  EXPECT_THAT(stats.problems[0], HasSubstr(Seg(1)));
  EXPECT_THAT(stats.problems[0], HasSubstr("offset " + std::to_string(head.size())));
  EXPECT_THAT(stats.problems[0], HasSubstr("skipped " + std::to_string(garbage.size())));
}

TEST_F(JournalReaderTest, CorruptRecordIsSkippedAndTheGapReported) {
  std::string a = SegmentBytes(1, Numbered("rec", 2));
  std::string bad = Frame(3, "this one will be damaged");
  std::string b = Frame(4, "rec3") + Frame(5, "rec4");
  bad[bad.size() - 3] ^= 0x20;
  WriteFile(Seg(1), a + bad + b);
  ScanStats stats;
  auto rs = ScanAll(fs_, dir_.path(), &stats);
  EXPECT_THAT(Seqs(rs), ElementsAre(1, 2, 4, 5));
  EXPECT_EQ(bad.size(), stats.bytes_skipped);
  ASSERT_EQ(2u, stats.problems.size());
  EXPECT_THAT(stats.problems[0], HasSubstr("offset " + std::to_string(a.size()) + ": CRC"));
  EXPECT_THAT(stats.problems[1], HasSubstr("seq gap: expected 3, found 4"));
}

TEST_F(JournalReaderTest, ZeroFilledTailIsDamageEvenInTheNewestSegment) {
  std::string seg = SegmentBytes(1, Numbered("rec", 3));
  WriteFile(Seg(1), seg + std::string(4096, '\0'));
  ScanStats stats;
  EXPECT_THAT(Seqs(ScanAll(fs_, dir_.path(), &stats)), ElementsAre(1, 2, 3));
  EXPECT_EQ(4096u, stats.bytes_skipped);
  ASSERT_EQ(1u, stats.problems.size());
  EXPECT_THAT(stats.problems[0], HasSubstr("impossible frame length 0"));
  EXPECT_THAT(stats.problems[0], HasSubstr("to the end"));
}

TEST_F(JournalReaderTest, IncompleteFrameAtTheEndOfTheNewestSegmentIsInProgress) {
  std::string seg = SegmentBytes(1, Numbered("rec", 3));
  std::string next = Frame(4, "being written");
  for (size_t cut : {size_t{1}, size_t{7}, size_t{8}, next.size() - 1}) {
    WriteFile(Seg(1), seg + next.substr(0, cut));
    ScanStats stats;
    EXPECT_THAT(Seqs(ScanAll(fs_, dir_.path(), &stats)), ElementsAre(1, 2, 3)) << cut;
    EXPECT_EQ(0u, stats.bytes_skipped) << cut;
    EXPECT_TRUE(stats.problems.empty()) << cut;
  }
}

TEST_F(JournalReaderTest, IncompleteFrameAtTheEndOfAnOlderSegmentIsDamage) {
  std::string seg = SegmentBytes(1, Numbered("rec", 3));
  std::string cut = Frame(4, "torn").substr(0, 20);
  WriteFile(Seg(1), seg + cut);
  WriteFile(Seg(4), SegmentBytes(4, {"next"}));
  ScanStats stats;
  EXPECT_THAT(Seqs(ScanAll(fs_, dir_.path(), &stats)), ElementsAre(1, 2, 3, 4));
  EXPECT_EQ(20u, stats.bytes_skipped);
  ASSERT_EQ(1u, stats.problems.size());
  EXPECT_THAT(stats.problems[0], HasSubstr("runs past the end"));
}

TEST_F(JournalReaderTest, NewestSegmentStillBeingCreatedIsNotAProblem) {
  WriteFile(Seg(1), SegmentBytes(1, {"a"}));
  WriteFile(Seg(2), SegmentBytes(2, {}).substr(0, 17));
  ScanStats stats;
  EXPECT_THAT(Seqs(ScanAll(fs_, dir_.path(), &stats)), ElementsAre(1));
  EXPECT_TRUE(stats.problems.empty());
}

TEST_F(JournalReaderTest, DamagedHeaderIsReportedAndFramesStillRead) {
  std::string seg = SegmentBytes(1, {"a", "b"});
  seg[2] = 'X';
  WriteFile(Seg(1), seg);
  ScanStats stats;
  EXPECT_THAT(Seqs(ScanAll(fs_, dir_.path(), &stats)), ElementsAre(1, 2));
  ASSERT_EQ(1u, stats.problems.size());
  EXPECT_THAT(stats.problems[0], HasSubstr("damaged header (bad magic)"));
}

TEST_F(JournalReaderTest, NewerFormatVersionIsReportedAndSkipped) {
  std::string seg = SegmentBytes(1, {"a"});
  std::string head = seg.substr(0, j::kFileHeaderSize);
  internal::EncodeFixed32(head.data() + j::kHeaderVersionOffset, 2);
  internal::EncodeFixed32(head.data() + j::kHeaderCrcOffset,
                          crc32c::Mask(crc32c::Value(head.data(), j::kHeaderCrcOffset)));
  WriteFile(Seg(1), head + seg.substr(j::kFileHeaderSize));
  ScanStats stats;
  EXPECT_TRUE(ScanAll(fs_, dir_.path(), &stats).empty());
  ASSERT_EQ(1u, stats.problems.size());
  EXPECT_THAT(stats.problems[0], HasSubstr("version 2 is not supported"));
}

TEST_F(JournalReaderTest, LargeRecordsSpanReadChunks) {
  std::vector<std::string> raws;
  for (int i = 0; i < 5; ++i) raws.push_back(std::string((600 << 10) + i, 'a' + i));
  WriteFile(Seg(1), SegmentBytes(1, raws));
  ScanStats stats;
  auto rs = ScanAll(fs_, dir_.path(), &stats);
  ASSERT_EQ(5u, rs.size());
  for (int i = 0; i < 5; ++i) EXPECT_EQ(raws[i], rs[i].raw);
  EXPECT_TRUE(stats.problems.empty());
}

}  // namespace
}  // namespace kiroku::store

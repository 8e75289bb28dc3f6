#include "sealer/sealer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "common/testing/fault_fs.h"
#include "common/testing/temp_dir.h"
#include "integrity/leaf.h"
#include "integrity/merkle.h"
#include "segment/log_source.h"
#include "segment/sealed_segment.h"
#include "segment/segment_files.h"
#include "store/committer.h"
#include "store/journal_files.h"
#include "store/record_codec.h"

namespace kiroku::sealer {
namespace {

using kiroku::testing::FaultFs;
using Op = FaultFs::Op;

struct Owned {
  uint64_t seq;
  std::string raw;
  int64_t received;
  Transport transport;
  PeerAddress peer;
};

class SealerTest : public ::testing::Test {
 protected:
  std::string journal() const { return dir_.path() + "/journal"; }
  std::string segments() const { return dir_.path() + "/segments"; }
  SealerOptions Options() {
    SealerOptions o;
    o.data_dir = dir_.path();
    o.poll_ns = 5'000'000;
    o.retry_ns = 5'000'000;
    return o;
  }

  // `n` records through the real committer, segments of about `segment_bytes`.
  void WriteJournal(int n, uint64_t segment_bytes = 32 << 10) {
    store::CommitterOptions o;
    o.journal_dir = journal();
    o.commit_interval_ns = 1'000'000;
    o.segment_max_bytes = segment_bytes;
    auto c = store::Committer::Open(fs_, clock_, metrics_, o);
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    static const char* kLines[] = {
        "<38>Jan 12 10:00:01 gw sshd[411]: Accepted publickey for alice from 192.0.2.7 port 22",
        "<22>Jan 12 10:00:02 mx postfix/qmgr[77]: 4B1C2: from=<bob@example.com>, size=1200, "
        "nrcpt=1 (queue active)",
        "<22>Jan 12 10:00:03 mx postfix/smtp[78]: 4B1C2: to=<carol@example.org>, relay=x[1.2.3.4]"
        ":25, status=sent (250 ok)",
        "<4>Jan 12 10:00:04 fw kernel: [UFW BLOCK] IN=eth0 OUT= SRC=10.1.2.3 DST=203.0.113.5 "
        "PROTO=TCP SPT=51514 DPT=443",
    };
    store::RecordBatch batch;
    for (int i = 0; i < n; ++i) {
      Owned o2;
      o2.raw = std::string(kLines[i % 4]) + " #" + std::to_string(i);
      o2.received = 1'700'000'000'000'000'000 + int64_t{i} * 1'000'000;
      o2.transport = i % 3 == 0 ? Transport::kUdp : Transport::kTcp;
      o2.peer.family = 4;
      o2.peer.addr = {192, 0, 2, static_cast<uint8_t>(i % 5)};
      o2.peer.port = 514;
      RecordView r;
      r.raw = o2.raw;
      r.receive_time_ns = o2.received;
      r.transport = o2.transport;
      r.peer = o2.peer;
      r.original_length = static_cast<uint32_t>(o2.raw.size());
      batch.Add(r);
      if (batch.count() == 25 || i + 1 == n) {
        ASSERT_TRUE((*c)->SubmitAndWait(batch).ok());
      }
      o2.seq = static_cast<uint64_t>(i) + 1;
      written_.push_back(std::move(o2));
    }
    (*c)->Stop();
  }

  // Every record 1..n, read back through LogSource, must be what was written.
  void ExpectAllRecords(Fs& fs) {
    segment::LogSource log(fs, dir_.path());
    segment::LogScanStats stats;
    std::vector<Owned> got;
    ASSERT_TRUE(log.Scan(
                       SeqNo{1}, SeqNo{~uint64_t{0}},
                       [&](const RecordView& r) {
                         got.push_back({r.seq.value, std::string(r.raw), r.receive_time_ns,
                                        r.transport, r.peer});
                         return true;
                       },
                       &stats)
                    .ok());
    EXPECT_TRUE(stats.problems.empty()) << stats.problems.front();
    ASSERT_EQ(written_.size(), got.size());
    for (size_t i = 0; i < got.size(); ++i) {
      EXPECT_EQ(written_[i].seq, got[i].seq);
      EXPECT_EQ(written_[i].raw, got[i].raw);
      EXPECT_EQ(written_[i].received, got[i].received);
      EXPECT_EQ(written_[i].peer, got[i].peer);
    }
  }

  // Neither lost nor half: every seq is in a journal segment or a sealed segment that opens.
  void ExpectNothingLostOrHalf(Fs& fs) {
    auto sealed = segment::ListSealed(fs, segments());
    ASSERT_TRUE(sealed.ok());
    for (const auto& s : *sealed) {
      auto seg = segment::SealedSegment::Open(fs, s.path);
      ASSERT_TRUE(seg.ok()) << s.path << ": " << seg.status().ToString();
      EXPECT_EQ(0444u, *fs.FileMode(s.path));
    }
    ExpectAllRecords(fs);
  }

  std::vector<std::string> SegmentsDirNames() {
    auto names = fs_.ListDir(segments());
    return names.ok() ? *names : std::vector<std::string>{};
  }

  kiroku::testing::TempDir dir_;
  FaultFs fs_;
  const Clock& clock_ = RealClock::Instance();
  Metrics metrics_;
  std::vector<Owned> written_;
};

TEST_F(SealerTest, SealAllSealsEverythingAndLeavesAnEmptyActiveSegment) {
  WriteJournal(3000);
  const size_t journal_segments = store::ListSegments(fs_, journal())->size();
  ASSERT_GT(journal_segments, 3u);
  ASSERT_TRUE(SealAll(fs_, clock_, Options()).ok());

  auto segs = *store::ListSegments(fs_, journal());
  ASSERT_EQ(1u, segs.size());
  EXPECT_EQ(SeqNo{3001}, segs[0].first);  // numbering resumes after the last sealed record
  auto sealed = *segment::ListSealed(fs_, segments());
  ASSERT_EQ(journal_segments, sealed.size());
  EXPECT_EQ(SeqNo{1}, sealed.front().first);
  EXPECT_EQ(SeqNo{3000}, sealed.back().last);
  for (size_t i = 0; i + 1 < sealed.size(); ++i) {
    EXPECT_EQ(sealed[i].last.value + 1, sealed[i + 1].first.value);
  }
  ExpectNothingLostOrHalf(fs_);

  // Blocks aligned to seq multiples of 1024; leaves_root is the MTH of the segment's leaves.
  for (const auto& info : sealed) {
    auto seg = segment::SealedSegment::Open(fs_, info.path);
    ASSERT_TRUE(seg.ok());
    std::vector<integrity::Hash> leaves;
    std::string scratch;
    uint64_t seq = info.first.value;
    for (uint32_t b = 0; b < (*seg)->block_count(); ++b) {
      const segment::BlockInfo& bi = (*seg)->block(b);
      EXPECT_EQ(seq, bi.first.value);
      if (b > 0) {
        EXPECT_EQ(1u, bi.first.value % 1024) << info.path << " block " << b;
      }
      EXPECT_LE((bi.first.value - 1) / 1024, (bi.first.value + bi.count - 2) / 1024);
      EXPECT_EQ((bi.first.value - 1) / 1024, (bi.first.value + bi.count - 2) / 1024);
      segment::DecodedBlock d;
      ASSERT_TRUE((*seg)->ReadBlock(b, &d).ok());
      for (std::string_view p : d.payloads) {
        RecordView r;
        ASSERT_TRUE(store::DecodeRecord(p, &r).ok());
        leaves.push_back(integrity::LeafHashOf(r, &scratch));
      }
      seq += bi.count;
    }
    EXPECT_EQ(info.last.value + 1, seq);
    EXPECT_EQ(integrity::RootOf(leaves).View(), std::string_view((*seg)->meta().leaves_root));
    EXPECT_FALSE((*seg)->meta().sources.empty());
    EXPECT_FALSE((*seg)->meta().index_info.empty());
  }
}

TEST_F(SealerTest, ThreadSealsClosedSegmentsOnlyAndCountsThem) {
  WriteJournal(2000);
  const auto before = *store::ListSegments(fs_, journal());
  ASSERT_GT(before.size(), 2u);
  uint64_t removed_bytes = 0;
  SealerOptions o = Options();
  o.on_journal_removed = [&](uint64_t b) { removed_bytes += b; };
  Sealer sealer(fs_, clock_, metrics_, o);
  ASSERT_TRUE(sealer.Start().ok());
  ASSERT_TRUE(fs_.WaitFor([&] { return sealer.segments_sealed() == before.size() - 1; }));
  sealer.Stop();
  auto after = *store::ListSegments(fs_, journal());
  ASSERT_EQ(1u, after.size());
  EXPECT_EQ(before.back().first, after[0].first);  // the active one stays
  EXPECT_GT(removed_bytes, 0u);
  EXPECT_EQ(before.size() - 1, metrics_.GetCounter("kiroku_sealer_segments_total", "").value());
  EXPECT_EQ(before.back().first.value - 1,
            metrics_.GetCounter("kiroku_sealer_records_total", "").value());
  EXPECT_EQ(0, metrics_.GetGauge("kiroku_sealer_lag_records", "").value());
  ExpectNothingLostOrHalf(fs_);
}

TEST_F(SealerTest, RecoverSealingRemovesTemporariesAndSealedJournalCopies) {
  WriteJournal(1500);
  auto segs = *store::ListSegments(fs_, journal());
  ASSERT_GE(segs.size(), 3u);
  const std::string copy = *fs_.ReadFile(segs[0].path);
  ASSERT_TRUE(SealAll(fs_, clock_, Options()).ok());
  // The crash between the sealed file's rename and the journal removal leaves both copies, and
  // one in the middle of sealing leaves a temporary.
  {
    auto f = fs_.OpenAppendable(segs[0].path);
    ASSERT_TRUE(f.ok());
    ASSERT_TRUE((*f)->Append(copy).ok());
    auto t = fs_.OpenAppendable(segments() + "/sealing-00000000000000000001.tmp");
    ASSERT_TRUE(t.ok());
    ASSERT_TRUE((*t)->Append("half a segment").ok());
  }
  ASSERT_EQ(2u, store::ListSegments(fs_, journal())->size());
  ExpectNothingLostOrHalf(fs_);  // the sealed copy wins while both are there
  ASSERT_TRUE(RecoverSealing(fs_, Options()).ok());
  for (const std::string& n : SegmentsDirNames()) EXPECT_FALSE(n.ends_with(".tmp")) << n;
  EXPECT_EQ(1u, store::ListSegments(fs_, journal())->size());
  ExpectNothingLostOrHalf(fs_);
}

TEST_F(SealerTest, DamagedJournalSegmentIsRefusedAndTheNextOnesAreSealed) {
  WriteJournal(2000);
  auto segs = *store::ListSegments(fs_, journal());
  ASSERT_GE(segs.size(), 4u);
  {  // flip a byte in the middle of the second segment
    auto f = fs_.OpenAppendable(segs[1].path);
    ASSERT_TRUE(f.ok());
    const uint64_t size = (*f)->Size();
    ASSERT_TRUE((*f)->WriteAt(size / 2, "\xff\xfe").ok());
  }
  Sealer sealer(fs_, clock_, metrics_, Options());
  ASSERT_TRUE(sealer.Start().ok());
  ASSERT_TRUE(fs_.WaitFor([&] { return sealer.segments_sealed() == segs.size() - 2; }));
  sealer.Stop();
  auto left = *store::ListSegments(fs_, journal());
  ASSERT_EQ(2u, left.size());
  EXPECT_EQ(segs[1].first, left[0].first);  // the damaged one stays in the journal
  EXPECT_EQ(1, metrics_.GetGauge("kiroku_sealer_refused_segments", "").value());
  EXPECT_EQ(1u,
            metrics_.GetCounter("kiroku_sealer_errors_total", "", {{"reason", "damaged"}}).value());
  // LogSource still reads around it: the sealed records, then the journal's readable ones.
  segment::LogSource log(fs_, dir_.path());
  segment::LogScanStats stats;
  uint64_t count = 0, last = 0;
  ASSERT_TRUE(log.Scan(
                     SeqNo{1}, SeqNo{2000},
                     [&](const RecordView& r) {
                       EXPECT_GT(r.seq.value, last);
                       last = r.seq.value;
                       ++count;
                       return true;
                     },
                     &stats)
                  .ok());
  EXPECT_EQ(2000u, last);
  EXPECT_LT(count, 2000u);
  EXPECT_FALSE(stats.problems.empty());
}

TEST_F(SealerTest, StopAbandonsCleanly) {
  WriteJournal(3000);
  Sealer sealer(fs_, clock_, metrics_, Options());
  ASSERT_TRUE(sealer.Start().ok());
  ASSERT_TRUE(fs_.WaitFor([&] { return fs_.count(Op::kAppend) > 0; }));
  sealer.Stop();
  ASSERT_TRUE(RecoverSealing(fs_, Options()).ok());
  for (const std::string& n : SegmentsDirNames()) EXPECT_FALSE(n.ends_with(".tmp")) << n;
  ExpectNothingLostOrHalf(fs_);
}

// A failure at every step of sealing (write, sync, rename, directory sync, journal removal),
// then a crash (unsynced data dropped) and a restart: never neither copy, never a half file
// that is trusted, and sealing completes after recovery.
TEST_F(SealerTest, FailureAtEveryStepThenCrashLosesNothing) {
  WriteJournal(1200, 16 << 10);
  // The pristine journal, to start each case from.
  std::map<std::string, std::string> pristine;
  const std::vector<std::string> names = *fs_.ListDir(journal());
  for (const std::string& n : names) pristine[n] = *fs_.ReadFile(journal() + "/" + n);
  auto reset = [&] {
    for (const std::string& n : SegmentsDirNames()) {
      (void)fs_.SetFileMode(segments() + "/" + n, 0644);
      ASSERT_TRUE(fs_.Remove(segments() + "/" + n).ok());
    }
    const std::vector<std::string> now = *fs_.ListDir(journal());
    for (const std::string& n : now) ASSERT_TRUE(fs_.Remove(journal() + "/" + n).ok());
    for (const auto& [n, bytes] : pristine) {
      auto f = fs_.OpenAppendable(journal() + "/" + n);
      ASSERT_TRUE(f.ok());
      ASSERT_TRUE((*f)->Append(bytes).ok());
      ASSERT_TRUE((*f)->Sync().ok());
    }
  };
  // How many operations of each kind a clean run makes.
  std::map<Op, int> clean;
  {
    std::map<Op, int> before;
    for (Op op : {Op::kAppend, Op::kSync, Op::kRename, Op::kSyncDir, Op::kRemove, Op::kOpen}) {
      before[op] = fs_.count(op);
    }
    ASSERT_TRUE(SealAll(fs_, clock_, Options()).ok());
    for (auto& [op, n] : before) clean[op] = fs_.count(op) - n;
  }
  int cases = 0;
  for (const auto& [op, total] : clean) {
    // Every one of the first few, then a sample: the steps repeat per segment.
    for (int nth = 1; nth <= total; nth += nth < 4 ? 1 : std::max(1, total / 6)) {
      SCOPED_TRACE("op " + std::to_string(static_cast<int>(op)) + " #" + std::to_string(nth));
      reset();
      fs_.Fail(op, nth, op == Op::kAppend ? ENOSPC : EIO, /*sticky=*/false, /*keep=*/7);
      Status s = SealAll(fs_, clock_, Options());
      fs_.Heal();
      fs_.DropUnsyncedData();  // the crash
      ASSERT_TRUE(RecoverSealing(fs_, Options()).ok());
      ExpectNothingLostOrHalf(fs_);
      ASSERT_TRUE(SealAll(fs_, clock_, Options()).ok());
      ExpectNothingLostOrHalf(fs_);
      EXPECT_EQ(1u, store::ListSegments(fs_, journal())->size());
      ++cases;
    }
  }
  EXPECT_GT(cases, 15);
}

}  // namespace
}  // namespace kiroku::sealer

// The committer under disk faults: ENOSPC, EIO, short writes, failed rotation, and shutdown
// while failing. Faults come from FaultFs; waits are condition waits with deadlines.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "common/testing/fault_fs.h"
#include "common/testing/log_capture.h"
#include "common/testing/temp_dir.h"
#include "store/committer.h"
#include "store/journal_files.h"
#include "store/store_test_util.h"

namespace kiroku::store {
namespace {

using kiroku::testing::FaultFs;
using kiroku::testing::LogCapture;
using ::testing::HasSubstr;
using Op = FaultFs::Op;
using testing::Latch;
using testing::SampleView;
using testing::ScanAll;

size_t CountOf(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) {
    ++n;
  }
  return n;
}

class CommitterFaultTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CommitterOptions o;
    o.journal_dir = journal_;
    o.commit_interval_ns = 1'000'000;
    o.retry_backoff_ns = 1'000'000;
    o.queue_max_bytes = 8 << 10;
    auto c = Committer::Open(fs_, RealClock::Instance(), metrics_, o);
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    c_ = std::move(*c);
    for (int i = 0; i < 5; ++i) {
      RecordBatch b;
      b.Add(SampleView("before " + std::to_string(i)));
      ASSERT_TRUE(c_->SubmitAndWait(b).ok());
    }
    durable_ = *fs_.FileSize(seg_);
  }

  // Submits "during N" records until the queue refuses one; returns how many were taken.
  int FillQueue(Latch* done) {
    int accepted = 0;
    while (true) {
      RecordBatch b;
      b.Add(SampleView("during " + std::to_string(accepted) + std::string(200, '.')));
      if (!c_->TrySubmit(b, [done](const Status& s, SeqNo, SeqNo) {
            EXPECT_TRUE(s.ok()) << s.ToString();
            done->Add();
          })) {
        EXPECT_EQ(1u, b.count());  // a refused batch is left to its owner
        return accepted;
      }
      if (++accepted > 10000) return accepted;
    }
  }

  // After the fault clears: everything queued is stored, in order, after what was there.
  void ExpectAllStored(int during) {
    ScanStats stats;
    auto rs = ScanAll(fs_, journal_, &stats);
    EXPECT_TRUE(stats.problems.empty()) << stats.problems.front();
    ASSERT_EQ(static_cast<size_t>(5 + during), rs.size());
    for (size_t k = 0; k < rs.size(); ++k) {
      ASSERT_EQ(k + 1, rs[k].view.seq.value);
      std::string want = k < 5 ? "before " + std::to_string(k)
                               : "during " + std::to_string(k - 5) + std::string(200, '.');
      ASSERT_EQ(want, rs[k].raw);
    }
  }

  uint64_t Counter(const std::string& name) { return metrics_.GetCounter(name, "").value(); }
  int64_t Gauge(const std::string& name) { return metrics_.GetGauge(name, "").value(); }

  LogCapture log_;
  kiroku::testing::TempDir dir_;
  std::string journal_ = dir_.path() + "/journal";
  std::string seg_ = SegmentPath(journal_, SeqNo{1});
  FaultFs fs_;
  Metrics metrics_;
  std::unique_ptr<Committer> c_;
  uint64_t durable_ = 0;
};

TEST_F(CommitterFaultTest, ShortWriteWithEnospcIsCutBackQueuedAndRetried) {
  fs_.Fail(Op::kAppend, 1, ENOSPC, /*sticky=*/true, /*keep=*/50);
  Latch done;
  const int during = FillQueue(&done);
  ASSERT_GT(during, 10);
  ASSERT_TRUE(fs_.WaitFor([&] { return !c_->writable(); }));
  EXPECT_EQ(0, Gauge("kiroku_journal_writable"));
  // Several failed retries, each cut back: the file never keeps a half record for long, and
  // the durable part is untouched.
  ASSERT_TRUE(fs_.WaitFor([&] { return Counter("kiroku_journal_write_errors_total") >= 3; }));
  ASSERT_TRUE(fs_.WaitFor([&] { return *fs_.FileSize(seg_) == durable_; }));
  EXPECT_EQ(durable_, fs_.SyncedSize(seg_));
  EXPECT_EQ(0, done.count());
  EXPECT_EQ(SeqNo{5}, c_->last_durable());
  EXPECT_GE(fs_.failures(), 3);
  EXPECT_EQ(during, Gauge("kiroku_queue_depth"));
  Latch space;
  c_->NotifyWhenSpace([&] { space.Add(); });

  fs_.Heal();
  ASSERT_TRUE(done.WaitFor(during));
  ASSERT_TRUE(space.WaitFor(1));
  ASSERT_TRUE(fs_.WaitFor([&] { return c_->writable(); }));
  EXPECT_EQ(SeqNo{5u + during}, c_->last_durable());
  EXPECT_EQ(1, Gauge("kiroku_journal_writable"));
  EXPECT_EQ(0, Gauge("kiroku_queue_depth"));
  c_->Stop();
  ExpectAllStored(during);
  // Loud once per incident, and once when it clears; not once per retry.
  const std::string text = log_.text();
  EXPECT_EQ(1u, CountOf(text, "error journal: writing " + seg_ + " failed"));
  EXPECT_THAT(text, HasSubstr("No space left on device"));
  EXPECT_EQ(1u, CountOf(text, "succeed again"));
}

TEST_F(CommitterFaultTest, EioOnSyncDropsTheUnsyncedWriteAndRetries) {
  fs_.Fail(Op::kSync, 1, EIO);
  Latch done;
  const int during = FillQueue(&done);
  ASSERT_TRUE(fs_.WaitFor([&] { return !c_->writable(); }));
  ASSERT_TRUE(fs_.WaitFor([&] { return fs_.failures() >= 2; }));
  // What was written but never synced is cut away again.
  ASSERT_TRUE(fs_.WaitFor([&] { return *fs_.FileSize(seg_) == durable_; }));
  EXPECT_EQ(0, done.count());
  fs_.Heal();
  ASSERT_TRUE(done.WaitFor(during));
  c_->Stop();
  ExpectAllStored(during);
  EXPECT_THAT(log_.text(), HasSubstr("Input/output error"));
}

TEST_F(CommitterFaultTest, SubmitAndWaitBlocksThroughTheFaultAndSucceedsAfter) {
  fs_.Fail(Op::kAppend, 1, EIO);
  std::atomic<bool> returned{false};
  Status result = Status::IoError("not yet");
  std::thread relp([&] {
    RecordBatch b;
    b.Add(SampleView("during 0" + std::string(200, '.')));
    result = c_->SubmitAndWait(b);
    returned = true;
  });
  ASSERT_TRUE(fs_.WaitFor([&] { return fs_.failures() >= 2; }));
  EXPECT_FALSE(returned.load());  // nothing durable, so no acknowledgement
  fs_.Heal();
  relp.join();
  EXPECT_TRUE(result.ok()) << result.ToString();
  c_->Stop();
  ExpectAllStored(1);
}

TEST_F(CommitterFaultTest, StopWhileFailingFailsTheQueuedBatchesAndDamagesNothing) {
  fs_.Fail(Op::kAppend, 1, ENOSPC, /*sticky=*/true, /*keep=*/30);
  Latch failed;
  for (int i = 0; i < 3; ++i) {
    RecordBatch b;
    b.Add(SampleView("lost"));
    ASSERT_TRUE(c_->TrySubmit(b, [&](const Status& s, SeqNo, SeqNo) {
      EXPECT_EQ(Status::Code::kIoError, s.code());
      failed.Add();
    }));
  }
  ASSERT_TRUE(fs_.WaitFor([&] { return !c_->writable(); }));
  c_->Stop();
  EXPECT_EQ(3, failed.count());
  EXPECT_THAT(log_.text(), HasSubstr("stopping with 3 records that could not be written"));
  fs_.Heal();
  EXPECT_EQ(durable_, *fs_.FileSize(seg_));
  ExpectAllStored(0);
}

TEST_F(CommitterFaultTest, FailedRotationIsRetriedAndLosesNothing) {
  c_.reset();
  CommitterOptions o;
  o.journal_dir = journal_;
  o.commit_interval_ns = 1'000'000;
  o.retry_backoff_ns = 1'000'000;
  o.segment_max_bytes = 1;  // rotate before every commit
  auto c = Committer::Open(fs_, RealClock::Instance(), metrics_, o);
  ASSERT_TRUE(c.ok());
  fs_.Fail(Op::kSyncDir, 1, EIO, /*sticky=*/false);  // the new segment's directory entry
  Latch done;
  for (int i = 0; i < 3; ++i) {
    RecordBatch b;
    b.Add(SampleView("during " + std::to_string(i) + std::string(200, '.')));
    ASSERT_TRUE((*c)->SubmitAndWait(b).ok());
  }
  EXPECT_EQ(SeqNo{8}, (*c)->last_durable());
  EXPECT_EQ(1, fs_.failures());
  (*c)->Stop();
  ExpectAllStored(3);
  auto segs = *ListSegments(fs_, journal_);
  ASSERT_EQ(4u, segs.size());
  EXPECT_EQ(SeqNo{6}, segs[1].first);
  EXPECT_EQ(SeqNo{8}, segs[3].first);
}

}  // namespace
}  // namespace kiroku::store

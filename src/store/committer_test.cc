#include "store/committer.h"

#include <endian.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <cstring>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "common/testing/fault_fs.h"
#include "common/testing/temp_dir.h"
#include "store/journal_files.h"
#include "store/journal_format.h"
#include "store/store_test_util.h"

namespace kiroku::store {
namespace {

namespace j = journal;
using kiroku::testing::FaultFs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::SampleView;
using testing::ScanAll;

using testing::Latch;

class CommitterTest : public ::testing::Test {
 protected:
  CommitterOptions Options() {
    CommitterOptions o;
    o.journal_dir = journal_;
    o.commit_interval_ns = 1'000'000;
    o.retry_backoff_ns = 1'000'000;
    return o;
  }
  std::unique_ptr<Committer> Open(CommitterOptions o) {
    auto c = Committer::Open(fs_, clock_, metrics_, std::move(o));
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return c.ok() ? std::move(*c) : nullptr;
  }
  std::unique_ptr<Committer> Open() { return Open(Options()); }
  std::vector<uint64_t> ScannedSeqs(ScanStats* stats = nullptr) {
    std::vector<uint64_t> v;
    for (const auto& r : ScanAll(fs_, journal_, stats)) v.push_back(r.view.seq.value);
    return v;
  }
  int64_t GaugeValue(const std::string& name) { return metrics_.GetGauge(name, "").value(); }
  uint64_t CounterValue(const std::string& name) { return metrics_.GetCounter(name, "").value(); }

  kiroku::testing::TempDir dir_;
  std::string journal_ = dir_.path() + "/journal";
  FaultFs fs_;
  const Clock& clock_ = RealClock::Instance();
  Metrics metrics_;
};

TEST_F(CommitterTest, OpenCreatesTheJournalWithAFirstSegment) {
  auto c = Open();
  ASSERT_TRUE(c);
  EXPECT_EQ(SeqNo{0}, c->last_durable());
  EXPECT_TRUE(c->writable());
  EXPECT_EQ(j::kFileHeaderSize, *fs_.FileSize(SegmentPath(journal_, SeqNo{1})));
  EXPECT_EQ(1, GaugeValue("kiroku_journal_segments"));
  EXPECT_EQ(1, GaugeValue("kiroku_journal_writable"));
  EXPECT_EQ(static_cast<int64_t>(j::kFileHeaderSize), GaugeValue("kiroku_journal_bytes"));
}

TEST_F(CommitterTest, OpenRejectsBadOptions) {
  CommitterOptions o = Options();
  o.journal_dir.clear();
  EXPECT_EQ(Status::Code::kInvalidArgument,
            Committer::Open(fs_, clock_, metrics_, o).status().code());
  o = Options();
  o.queue_max_bytes = 0;
  EXPECT_FALSE(Committer::Open(fs_, clock_, metrics_, o).ok());
}

TEST_F(CommitterTest, SubmitAndWaitStoresAndNumbersRecords) {
  auto c = Open();
  RecordBatch b;
  b.Add(SampleView("one"));
  b.Add(SampleView("two"));
  ASSERT_TRUE(c->SubmitAndWait(b).ok());
  EXPECT_TRUE(b.empty());
  EXPECT_EQ(SeqNo{2}, c->last_durable());
  b.Add(SampleView("three"));
  ASSERT_TRUE(c->SubmitAndWait(b).ok());
  EXPECT_EQ(SeqNo{3}, c->last_durable());
  auto rs = ScanAll(fs_, journal_);
  ASSERT_EQ(3u, rs.size());
  EXPECT_EQ("one", rs[0].raw);
  EXPECT_EQ("three", rs[2].raw);
  EXPECT_EQ(SeqNo{3}, rs[2].view.seq);
  EXPECT_EQ(3u, CounterValue("kiroku_messages_stored_total"));
  EXPECT_EQ(2u, CounterValue("kiroku_journal_commits_total"));
  EXPECT_EQ(3, GaugeValue("kiroku_journal_last_seq"));
  EXPECT_EQ(0, GaugeValue("kiroku_queue_depth"));
  EXPECT_EQ(0, GaugeValue("kiroku_queue_bytes"));
  const int64_t on_disk = static_cast<int64_t>(*fs_.FileSize(SegmentPath(journal_, SeqNo{1})));
  EXPECT_EQ(on_disk, GaugeValue("kiroku_journal_bytes"));
  EXPECT_EQ(static_cast<uint64_t>(on_disk) - j::kFileHeaderSize,
            CounterValue("kiroku_journal_bytes_written_total"));
  auto h = metrics_.GetHistogram("kiroku_fsync_duration_seconds", "", {}).Take();
  EXPECT_EQ(2u, h.count);
  EXPECT_EQ(13u, h.bounds.size());
}

TEST_F(CommitterTest, DurableCallbackRunsOnlyAfterTheSync) {
  auto c = Open();
  const std::string seg = SegmentPath(journal_, SeqNo{1});
  Latch done;
  for (int i = 0; i < 20; ++i) {
    RecordBatch b;
    b.Add(SampleView("record " + std::to_string(i)));
    ASSERT_TRUE(c->TrySubmit(b, [&, i](const Status& s, SeqNo first, SeqNo last) {
      EXPECT_TRUE(s.ok());
      EXPECT_EQ(first, last);
      // Nothing is written while callbacks run, so the file's size is what was just written.
      EXPECT_EQ(*fs_.FileSize(seg), fs_.SyncedSize(seg)) << i;
      fs_.Note("durable " + std::to_string(first.value));
      done.Add();
    }));
  }
  ASSERT_TRUE(done.WaitFor(20));
  // Every "durable" note comes after a sync that followed the append holding the record.
  auto events = fs_.events();
  bool synced_since_append = true;
  int durable_seen = 0;
  for (const std::string& e : events) {
    if (e.rfind("append ", 0) == 0) synced_since_append = false;
    if (e.rfind("sync ", 0) == 0) synced_since_append = true;
    if (e.rfind("durable ", 0) == 0) {
      EXPECT_TRUE(synced_since_append) << e;
      ++durable_seen;
    }
  }
  EXPECT_EQ(20, durable_seen);
}

TEST_F(CommitterTest, SubmitAndWaitReturnsAfterTheSync) {
  auto c = Open();
  const std::string seg = SegmentPath(journal_, SeqNo{1});
  const size_t base = fs_.events().size();  // creating the first segment
  for (int i = 0; i < 5; ++i) {
    RecordBatch b;
    b.Add(SampleView("x"));
    ASSERT_TRUE(c->SubmitAndWait(b).ok());
    fs_.Note("returned");
    EXPECT_EQ(*fs_.FileSize(seg), fs_.SyncedSize(seg));
  }
  auto events = fs_.events();
  ASSERT_EQ(base + 15, events.size());
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_THAT(events[base + 3 * i], HasSubstr("append "));
    EXPECT_THAT(events[base + 3 * i + 1], HasSubstr("sync "));
    EXPECT_EQ("returned", events[base + 3 * i + 2]);
  }
}

TEST_F(CommitterTest, SubmitAndWaitDoesNotWaitForTheWindow) {
  CommitterOptions o = Options();
  o.commit_interval_ns = 3'600'000'000'000;  // an hour: only urgency can commit
  auto c = Open(o);
  RecordBatch b;
  b.Add(SampleView("urgent"));
  ASSERT_TRUE(c->SubmitAndWait(b).ok());
  EXPECT_EQ(SeqNo{1}, c->last_durable());
}

TEST_F(CommitterTest, WindowGroupsBatchesIntoOneCommit) {
  CommitterOptions o = Options();
  o.commit_interval_ns = 3'600'000'000'000;
  o.batch_max_bytes = 10 * (j::kFrameHeaderSize + j::kPayloadFixedSize + 1);
  auto c = Open(o);
  Latch done;
  for (int i = 0; i < 10; ++i) {  // the tenth fills batch_max_bytes
    RecordBatch b;
    b.Add(SampleView("z"));
    ASSERT_TRUE(c->TrySubmit(b, [&](const Status&, SeqNo, SeqNo) { done.Add(); }));
  }
  ASSERT_TRUE(done.WaitFor(10));
  EXPECT_EQ(1u, CounterValue("kiroku_journal_commits_total"));
  EXPECT_EQ(1, fs_.count(FaultFs::Op::kSync) - 1);  // one for the first segment's header
}

TEST_F(CommitterTest, StopCommitsEverythingQueuedThenRefuses) {
  CommitterOptions o = Options();
  o.commit_interval_ns = 3'600'000'000'000;
  auto c = Open(o);
  Latch done;
  for (int i = 0; i < 7; ++i) {
    RecordBatch b;
    b.Add(SampleView("q"));
    ASSERT_TRUE(c->TrySubmit(b, [&](const Status& s, SeqNo, SeqNo) {
      EXPECT_TRUE(s.ok());
      done.Add();
    }));
  }
  c->Stop();
  EXPECT_EQ(7, done.count());
  EXPECT_EQ(SeqNo{7}, c->last_durable());
  RecordBatch b;
  b.Add(SampleView("late"));
  EXPECT_FALSE(c->TrySubmit(b));
  EXPECT_EQ(1u, b.count());  // untouched
  EXPECT_EQ(Status::Code::kUnavailable, c->SubmitAndWait(b).code());
  c->Stop();  // idempotent
  EXPECT_THAT(ScannedSeqs(), ElementsAre(1, 2, 3, 4, 5, 6, 7));
}

TEST_F(CommitterTest, ManyProducersEveryRecordOnceDenseAndInProducerOrder) {
  CommitterOptions o = Options();
  o.queue_max_bytes = 64 << 10;  // small, so producers meet back-pressure too
  o.batch_max_bytes = 16 << 10;
  auto c = Open(o);
  constexpr int kProducers = 4;
  constexpr int kPerProducer = 3000;
  std::mutex mu;
  std::map<uint64_t, std::pair<int, int>> by_seq;  // from the callbacks
  std::vector<std::thread> threads;
  for (int p = 0; p < kProducers; ++p) {
    threads.emplace_back([&, p] {
      std::mt19937 rng(p);
      int i = 0;
      while (i < kPerProducer) {
        RecordBatch b;
        int n = std::min<int>(1 + rng() % 20, kPerProducer - i);
        for (int k = 0; k < n; ++k) {
          b.Add(SampleView("p" + std::to_string(p) + "-" + std::to_string(i + k) +
                           std::string(rng() % 300, '.')));
        }
        auto record = [&, p, start = i](const Status& s, SeqNo first, SeqNo last) {
          ASSERT_TRUE(s.ok());
          std::lock_guard lock(mu);
          for (uint64_t q = first.value; q <= last.value; ++q) {
            by_seq[q] = {p, start + static_cast<int>(q - first.value)};
          }
        };
        if (p == 0) {  // one producer the RELP way
          ASSERT_TRUE(c->SubmitAndWait(b).ok());
        } else {
          while (!c->TrySubmit(b, record)) {
            Latch space;
            c->NotifyWhenSpace([&] { space.Add(); });
            ASSERT_TRUE(space.WaitFor(1));
          }
        }
        i += n;
      }
    });
  }
  for (auto& t : threads) t.join();
  c->Stop();
  ScanStats stats;
  auto rs = ScanAll(fs_, journal_, &stats);
  EXPECT_TRUE(stats.problems.empty());
  ASSERT_EQ(static_cast<size_t>(kProducers * kPerProducer), rs.size());
  std::vector<int> next(kProducers, 0);
  for (size_t k = 0; k < rs.size(); ++k) {
    ASSERT_EQ(k + 1, rs[k].view.seq.value);
    std::string_view raw = rs[k].raw;
    int p = raw[1] - '0';
    int i = std::stoi(std::string(raw.substr(3, raw.find('.') - 3)));
    ASSERT_EQ(next[p], i) << "producer " << p << " out of order at seq " << k + 1;
    ++next[p];
    if (p != 0) {
      ASSERT_EQ((std::pair<int, int>{p, i}), by_seq.at(k + 1));
    }
  }
  for (int p = 0; p < kProducers; ++p) EXPECT_EQ(kPerProducer, next[p]);
}

TEST_F(CommitterTest, RotatesSegmentsAndContinuesSeqsAcrossRestart) {
  CommitterOptions o = Options();
  o.segment_max_bytes = 4096;
  {
    auto c = Open(o);
    for (int i = 0; i < 200; ++i) {
      RecordBatch b;
      b.Add(SampleView("message number " + std::to_string(i) + std::string(50, '-')));
      ASSERT_TRUE(c->SubmitAndWait(b).ok());
    }
  }
  auto segs = *ListSegments(fs_, journal_);
  ASSERT_GT(segs.size(), 5u);
  {
    auto c = Open(o);
    EXPECT_EQ(SeqNo{200}, c->last_durable());
    EXPECT_EQ(static_cast<int64_t>(segs.size()), GaugeValue("kiroku_journal_segments"));
    for (int i = 0; i < 50; ++i) {
      RecordBatch b;
      b.Add(SampleView("after restart " + std::to_string(i)));
      ASSERT_TRUE(c->SubmitAndWait(b).ok());
    }
    EXPECT_EQ(SeqNo{250}, c->last_durable());
  }
  segs = *ListSegments(fs_, journal_);
  // Each segment is named by its first record; each closed one reached the limit.
  for (size_t i = 0; i < segs.size(); ++i) {
    ScanStats stats;
    ScanOptions opts;
    opts.min_seq = segs[i].first;
    uint64_t first = 0;
    (void)ScanJournal(
        fs_, journal_, opts,
        [&](const RecordView& r) {
          first = r.seq.value;
          return false;
        },
        &stats);
    EXPECT_EQ(segs[i].first.value, first);
    uint64_t size = *fs_.FileSize(segs[i].path);
    if (i + 1 < segs.size()) {
      EXPECT_GE(size, 4096u);
    }
  }
  std::vector<uint64_t> want(250);
  for (int i = 0; i < 250; ++i) want[i] = i + 1;
  ScanStats stats;
  EXPECT_EQ(want, ScannedSeqs(&stats));
  EXPECT_TRUE(stats.problems.empty());
  EXPECT_EQ(segs.size(), stats.segments);
}

TEST_F(CommitterTest, RotatesBySegmentAgeAtCommitAndWhileIdle) {
  FakeClock fake(1'700'000'000'000'000'000);
  CommitterOptions o = Options();
  o.segment_max_age_ns = 600'000'000'000;  // 10 min
  Latch rotated;
  o.on_rotated = [&rotated] { rotated.Add(); };
  auto c = Committer::Open(fs_, fake, metrics_, o);
  ASSERT_TRUE(c.ok());
  auto submit = [&](const std::string& text) {
    RecordBatch b;
    b.Add(SampleView(text));
    ASSERT_TRUE((*c)->SubmitAndWait(b).ok());
  };
  submit("one");
  fake.Advance(300'000'000'000);
  submit("two");  // 5 min: no rotation yet
  EXPECT_EQ(1u, ListSegments(fs_, journal_)->size());
  fake.Advance(300'000'000'000);
  submit("three");  // 10 min after "one": rotated before "three" is written
  auto segs = *ListSegments(fs_, journal_);
  ASSERT_EQ(2u, segs.size());
  EXPECT_EQ(SeqNo{3}, segs[1].first);
  EXPECT_EQ(1, rotated.count());
  // Idle: the writer notices the age without a new record.
  fake.Advance(600'000'000'000);
  ASSERT_TRUE(rotated.WaitFor(2, std::chrono::seconds(10)));
  segs = *ListSegments(fs_, journal_);
  ASSERT_EQ(3u, segs.size());
  EXPECT_EQ(SeqNo{4}, segs[2].first);
  // An empty active segment never rotates, however old.
  fake.Advance(6'000'000'000'000);
  submit("four");
  EXPECT_EQ(3u, ListSegments(fs_, journal_)->size());
  EXPECT_EQ(3, GaugeValue("kiroku_journal_segments"));
  (*c)->SegmentRemoved(*fs_.FileSize(segs[0].path));
  EXPECT_EQ(2, GaugeValue("kiroku_journal_segments"));
}

TEST_F(CommitterTest, ReaderConcurrentWithWriterSeesADensePrefix) {
  CommitterOptions o = Options();
  o.segment_max_bytes = 16 << 10;
  o.batch_max_bytes = 4 << 10;
  auto c = Open(o);
  constexpr int kRecords = 10000;
  std::atomic<bool> writing{true};
  std::thread writer([&] {
    for (int i = 0; i < kRecords; i += 10) {
      RecordBatch b;
      for (int k = 0; k < 10; ++k) b.Add(SampleView("concurrent " + std::to_string(i + k)));
      while (!c->TrySubmit(b)) {
        Latch space;
        c->NotifyWhenSpace([&] { space.Add(); });
        ASSERT_TRUE(space.WaitFor(1));
      }
    }
    writing = false;
  });
  size_t last_seen = 0;
  int scans = 0;
  while (writing || last_seen < static_cast<size_t>(kRecords)) {
    ScanStats stats;
    auto rs = ScanAll(fs_, journal_, &stats);
    ASSERT_TRUE(stats.problems.empty()) << stats.problems[0];
    for (size_t k = 0; k < rs.size(); ++k) {
      ASSERT_EQ(k + 1, rs[k].view.seq.value);
      ASSERT_EQ("concurrent " + std::to_string(k), rs[k].raw);
    }
    ASSERT_GE(rs.size(), last_seen);
    last_seen = rs.size();
    ++scans;
  }
  writer.join();
  EXPECT_EQ(static_cast<size_t>(kRecords), last_seen);
  EXPECT_GT(scans, 1);
  EXPECT_GT(ListSegments(fs_, journal_)->size(), 10u);
}

}  // namespace
}  // namespace kiroku::store

namespace kiroku::store {
namespace {

// The Merkle tree builder sees every durable record exactly once, in sequence order, with the
// same bytes the journal holds.
TEST_F(CommitterTest, CommittedObserverSeesEveryDurableFrameInOrder) {
  std::mutex mu;
  std::vector<uint64_t> seen;
  testing::Latch latch;
  CommitterOptions o = Options();
  o.on_committed = [&](SeqNo first, std::vector<std::string>&& frames) {
    uint64_t expect = first.value;
    std::lock_guard lock(mu);
    for (const std::string& buf : frames) {
      size_t pos = 0;
      while (pos < buf.size()) {
        uint32_t len = 0;
        std::memcpy(&len, buf.data() + pos, 4);
        len = le32toh(len);
        std::string_view payload(buf.data() + pos + j::kFrameHeaderSize, len);
        EXPECT_TRUE(FrameCrcOk(buf.data() + pos, payload));
        RecordView r;
        EXPECT_TRUE(DecodeRecord(payload, &r).ok());
        EXPECT_EQ(r.seq.value, expect++);
        seen.push_back(r.seq.value);
        pos += j::kFrameHeaderSize + len;
        latch.Add();
      }
    }
  };
  auto c = Open(o);
  ASSERT_TRUE(c);
  constexpr int kBatches = 20;
  for (int i = 0; i < kBatches; ++i) {
    RecordBatch b;
    for (int k = 0; k <= i % 3; ++k) b.Add(SampleView("record " + std::to_string(i)));
    ASSERT_TRUE(c->SubmitAndWait(b).ok());
  }
  int total = 0;
  for (int i = 0; i < kBatches; ++i) total += i % 3 + 1;
  ASSERT_TRUE(latch.WaitFor(total));
  std::lock_guard lock(mu);
  ASSERT_EQ(seen.size(), static_cast<size_t>(total));
  for (size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], i + 1);
}

}  // namespace
}  // namespace kiroku::store

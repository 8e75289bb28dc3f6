// Throughput of the committer on the real disk. Not a unit test: it is DISABLED_ and runs
// only when asked:
//   TMPDIR=/path/on/the/disk kiroku_store_test
//       --gtest_also_run_disabled_tests --gtest_filter='*Throughput*'
#include <gtest/gtest.h>

#include <cstdio>

#include "common/testing/temp_dir.h"
#include "store/committer.h"
#include "store/store_test_util.h"

namespace kiroku::store {
namespace {

using testing::Latch;
using testing::SampleView;

// Records/s through the committer with 300-byte records, sync on, one producer.
TEST(CommitterThroughput, DISABLED_SingleProducer300ByteRecords) {
  const std::string raw(300, 'x');
  for (int per_batch : {1, 16, 256}) {
    for (bool wait : {false, true}) {
      if (wait && per_batch > 16) continue;
      kiroku::testing::TempDir dir;
      Metrics metrics;
      CommitterOptions o;
      o.journal_dir = dir.path() + "/journal";
      auto c = std::move(*Committer::Open(PosixFs::Default(), RealClock::Instance(), metrics, o));
      const int total = wait ? 20000 : 1'000'000;
      Latch done;
      int batches = 0;
      const int64_t t0 = RealClock::Instance().MonotonicNs();
      for (int i = 0; i < total; i += per_batch) {
        RecordBatch b;
        for (int k = 0; k < per_batch; ++k) b.Add(SampleView(raw));
        ++batches;
        if (wait) {
          ASSERT_TRUE(c->SubmitAndWait(b).ok());
          done.Add();
          continue;
        }
        while (!c->TrySubmit(b, [&](const Status&, SeqNo, SeqNo) { done.Add(); })) {
          Latch space;
          c->NotifyWhenSpace([&] { space.Add(); });
          ASSERT_TRUE(space.WaitFor(1));
        }
      }
      ASSERT_TRUE(done.WaitFor(batches, std::chrono::seconds(600)));
      const double secs = (RealClock::Instance().MonotonicNs() - t0) / 1e9;
      const uint64_t commits = metrics.GetCounter("kiroku_journal_commits_total", "").value();
      const uint64_t bytes = metrics.GetCounter("kiroku_journal_bytes_written_total", "").value();
      auto fsync = metrics.GetHistogram("kiroku_fsync_duration_seconds", "", {}).Take();
      std::printf(
          "%-13s %3d rec/batch: %8.0f records/s %6.1f MB/s %7llu commits %6.1f rec/commit, "
          "fdatasync mean %.0f us\n",
          wait ? "SubmitAndWait" : "TrySubmit", per_batch, total / secs, bytes / secs / 1e6,
          static_cast<unsigned long long>(commits), static_cast<double>(total) / commits,
          fsync.sum / fsync.count * 1e6);
    }
  }
}

}  // namespace
}  // namespace kiroku::store

// Throughput of the journal committer alone, on the real disk: 300-byte records, sync on, one
// producer, TrySubmit with 1/16/256 records per batch and SubmitAndWait (the RELP path).
//   build/bench/committer_throughput [DIR]     (DIR on the disk to measure; default $TMPDIR)
#include <cstdio>
#include <cstdlib>
#include <string>

#include "common/testing/temp_dir.h"
#include "store/committer.h"
#include "store/store_test_util.h"

using namespace kiroku;
using namespace kiroku::store;
using kiroku::store::testing::Latch;
using kiroku::store::testing::SampleView;

int main(int argc, char** argv) {
  if (argc > 1) setenv("TMPDIR", argv[1], 1);
  const std::string raw(300, 'x');
  for (int per_batch : {1, 16, 256}) {
    for (bool wait : {false, true}) {
      if (wait && per_batch > 1) continue;
      kiroku::testing::TempDir dir;
      Metrics metrics;
      CommitterOptions o;
      o.journal_dir = dir.path() + "/journal";
      auto opened = Committer::Open(PosixFs::Default(), RealClock::Instance(), metrics, o);
      if (!opened.ok()) {
        std::fprintf(stderr, "%s\n", opened.status().ToString().c_str());
        return 1;
      }
      auto c = std::move(*opened);
      const int total = wait ? 20000 : 1'000'000;
      Latch done;
      int batches = 0;
      const int64_t t0 = RealClock::Instance().MonotonicNs();
      for (int i = 0; i < total; i += per_batch) {
        RecordBatch b;
        for (int k = 0; k < per_batch; ++k) b.Add(SampleView(raw));
        ++batches;
        if (wait) {
          if (!c->SubmitAndWait(b).ok()) return 1;
          done.Add();
          continue;
        }
        while (!c->TrySubmit(b, [&](const Status&, SeqNo, SeqNo) { done.Add(); })) {
          Latch space;
          c->NotifyWhenSpace([&] { space.Add(); });
          space.WaitFor(1);
        }
      }
      if (!done.WaitFor(batches, std::chrono::seconds(600))) return 1;
      const double secs = (RealClock::Instance().MonotonicNs() - t0) / 1e9;
      const uint64_t commits = metrics.GetCounter("kiroku_journal_commits_total", "").value();
      const uint64_t bytes = metrics.GetCounter("kiroku_journal_bytes_written_total", "").value();
      auto fsync = metrics.GetHistogram("kiroku_fsync_duration_seconds", "", {}).Take();
      std::printf(
          "%-13s %3d rec/batch: %9.0f records/s %6.1f MB/s %7llu commits %7.1f rec/commit, "
          "fdatasync mean %.0f us\n",
          wait ? "SubmitAndWait" : "TrySubmit", per_batch, total / secs, bytes / secs / 1e6,
          static_cast<unsigned long long>(commits), static_cast<double>(total) / commits,
          fsync.sum / fsync.count * 1e6);
    }
  }
  return 0;
}

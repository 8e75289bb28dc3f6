// The committer's metrics, looked up once at Open. The names are a contract with dashboards
// and alerts (docs/operations.md); do not rename them.
//
//   CommitterMetrics m(metrics);
//   m.stored.Add(records);
#pragma once

#include <vector>

#include "common/metrics.h"

namespace kiroku::store {

struct CommitterMetrics {
  explicit CommitterMetrics(Metrics& m)
      : stored(m.GetCounter("kiroku_messages_stored_total", "Records made durable in the journal")),
        queue_depth(m.GetGauge("kiroku_queue_depth", "Records submitted and not yet durable")),
        queue_bytes(m.GetGauge("kiroku_queue_bytes", "Bytes submitted and not yet durable")),
        fsync_seconds(m.GetHistogram(
            "kiroku_fsync_duration_seconds", "Time spent in fdatasync of the journal",
            {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1})),
        journal_bytes(m.GetGauge("kiroku_journal_bytes", "Bytes in journal segment files")),
        bytes_written(m.GetCounter("kiroku_journal_bytes_written_total",
                                   "Frame bytes appended to the journal")),
        write_errors(m.GetCounter("kiroku_journal_write_errors_total",
                                  "Failed journal write or sync attempts")),
        writable(m.GetGauge("kiroku_journal_writable", "1 while journal writes succeed, else 0")),
        commits(m.GetCounter("kiroku_journal_commits_total", "Group commits made durable")),
        segments(m.GetGauge("kiroku_journal_segments", "Journal segment files")),
        last_seq(
            m.GetGauge("kiroku_journal_last_seq", "Sequence number of the last durable record")) {}

  Counter& stored;
  Gauge& queue_depth;
  Gauge& queue_bytes;
  Histogram& fsync_seconds;
  Gauge& journal_bytes;
  Counter& bytes_written;
  Counter& write_errors;
  Gauge& writable;
  Counter& commits;
  Gauge& segments;
  Gauge& last_seq;
};

}  // namespace kiroku::store

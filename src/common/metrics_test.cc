#include "common/metrics.h"

#include <gtest/gtest.h>

namespace kiroku {
namespace {

TEST(MetricsTest, RendersPrometheusTextExactly) {
  Metrics m;
  m.GetCounter("kiroku_messages_received_total", "Messages received", {{"transport", "udp"}})
      .Add(3);
  m.GetCounter("kiroku_messages_received_total", "Messages received", {{"transport", "tcp"}}).Add();
  m.GetGauge("kiroku_queue_depth", "Records queued").Set(-2);
  Histogram& h = m.GetHistogram("kiroku_fsync_duration_seconds", "fsync", {0.001, 0.01});
  h.Observe(0.0005);
  h.Observe(0.005);
  h.Observe(2);
  m.AddCallbackGauge("kiroku_journal_bytes", "bytes", {}, [] { return 1.5; });
  EXPECT_EQ(m.RenderPrometheus(),
            "# HELP kiroku_fsync_duration_seconds fsync\n"
            "# TYPE kiroku_fsync_duration_seconds histogram\n"
            "kiroku_fsync_duration_seconds_bucket{le=\"0.001\"} 1\n"
            "kiroku_fsync_duration_seconds_bucket{le=\"0.01\"} 2\n"
            "kiroku_fsync_duration_seconds_bucket{le=\"+Inf\"} 3\n"
            "kiroku_fsync_duration_seconds_sum 2.0055\n"
            "kiroku_fsync_duration_seconds_count 3\n"
            "# HELP kiroku_journal_bytes bytes\n"
            "# TYPE kiroku_journal_bytes gauge\n"
            "kiroku_journal_bytes 1.5\n"
            "# HELP kiroku_messages_received_total Messages received\n"
            "# TYPE kiroku_messages_received_total counter\n"
            "kiroku_messages_received_total{transport=\"tcp\"} 1\n"
            "kiroku_messages_received_total{transport=\"udp\"} 3\n"
            "# HELP kiroku_queue_depth Records queued\n"
            "# TYPE kiroku_queue_depth gauge\n"
            "kiroku_queue_depth -2\n");
}

TEST(MetricsTest, SameNameAndLabelsIsTheSameMetric) {
  Metrics m;
  Counter& a = m.GetCounter("c_total", "c", {{"reason", "limit"}});
  Counter& b = m.GetCounter("c_total", "c", {{"reason", "limit"}});
  EXPECT_EQ(&a, &b);
}

TEST(MetricsTest, LabelValuesAreEscaped) {
  EXPECT_EQ(FormatLabels({{"a", "x\"y\\z\nw"}}), "{a=\"x\\\"y\\\\z\\nw\"}");
  EXPECT_EQ(FormatLabels({}), "");
}

}  // namespace
}  // namespace kiroku

#include "timewatch/estimator.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace kiroku::timewatch {
namespace {

constexpr int64_t kMs = 1'000'000;
constexpr int64_t kS = 1'000'000'000;
constexpr int64_t kMin = 60 * kS;
constexpr int64_t kHour = 60 * kMin;
constexpr int64_t kT0 = 1'780'000'000 * kS;

// A source that logs every `interval` (with random phase), whose clock is `offset(t)` ahead
// of true time t, with timestamps truncated to `precision`, reaching the server after a transit
// of 0.3 ms plus an exponential queueing delay (mean `mean_delay`) and now and then a burst
// delay of up to 2 s (a sender flushing its queue).
struct Synth {
  std::function<int64_t(int64_t)> offset;
  int64_t precision = kMs;
  int64_t interval = 2 * kS;
  double mean_delay_ms = 5;
  std::mt19937_64 rng{42};

  void Feed(OffsetEstimator* est, int64_t from, int64_t to) {
    std::exponential_distribution<double> delay(1.0 / mean_delay_ms);
    std::uniform_int_distribution<int64_t> phase(0, interval);
    std::uniform_real_distribution<double> u(0, 1);
    for (int64_t t = from + phase(rng); t < to; t += interval / 2 + phase(rng)) {
      int64_t device = t + offset(t);
      device -= ((device % precision) + precision) % precision;  // truncated
      int64_t d = static_cast<int64_t>(0.3 * kMs + delay(rng) * kMs);
      if (u(rng) < 0.02) d += static_cast<int64_t>(u(rng) * 2 * kS);
      est->Add({device, t + d, precision});
    }
  }
};

double Ms(int64_t ns) { return static_cast<double>(ns) / kMs; }

TEST(Estimator, ConstantOffsetsWithinTolerance) {
  for (int64_t truth : {3 * kS, -120 * kS, int64_t{0}, 9 * kHour}) {
    for (int64_t precision : {kMs, kS}) {
      OffsetEstimator est;
      Synth s{[truth](int64_t) { return truth; }, precision};
      s.Feed(&est, kT0, kT0 + 30 * kMin);
      Estimate e = est.Current();
      ASSERT_TRUE(e.valid);
      SCOPED_TRACE(testing::Message()
                   << "truth " << Ms(truth) << " ms, precision " << Ms(precision) << " ms");
      EXPECT_NEAR(Ms(e.offset_ns), Ms(truth), 100.0);
      // The truth lies within the stated uncertainty.
      EXPECT_LE(std::llabs(e.offset_ns - truth), e.uncertainty_ns);
      if (precision == kMs) {
        EXPECT_NEAR(Ms(e.offset_ns), Ms(truth), 5.0);
        EXPECT_LT(e.uncertainty_ns, 20 * kMs);
      }
      EXPECT_EQ(e.steps, 0u);
      // Whole seconds need hours before the drift is known; milliseconds 15 minutes.
      if (precision == kMs) {
        ASSERT_TRUE(e.drift_ppm.has_value());
      }
      if (e.drift_ppm) {
        EXPECT_NEAR(*e.drift_ppm, 0.0, 5.0);
      }
    }
  }
}

TEST(Estimator, SlowDriftOf50Ppm) {
  OffsetEstimator est;
  const int64_t start_offset = 200 * kMs;
  Synth s{[&](int64_t t) { return start_offset + (t - kT0) * 50 / 1'000'000; }, kMs};
  s.Feed(&est, kT0, kT0 + 4 * kHour);
  Estimate e = est.Current();
  ASSERT_TRUE(e.valid);
  ASSERT_TRUE(e.drift_ppm.has_value());
  EXPECT_NEAR(*e.drift_ppm, 50.0, 2.0);
  const int64_t truth = start_offset + (e.at_ns - kT0) * 50 / 1'000'000;
  EXPECT_NEAR(Ms(e.offset_ns), Ms(truth), 10.0);
  EXPECT_EQ(e.steps, 0u);
}

TEST(Estimator, WholeSecondClockDriftKnownAfterHours) {
  OffsetEstimator est;
  Synth s{[&](int64_t t) { return (t - kT0) * 50 / 1'000'000; }, kS};
  s.Feed(&est, kT0, kT0 + 4 * kHour);
  Estimate e = est.Current();
  ASSERT_TRUE(e.drift_ppm.has_value());
  EXPECT_NEAR(*e.drift_ppm, 50.0, 5.0);
  EXPECT_EQ(e.steps, 0u);
}

TEST(Estimator, SyncJumpIsAStepAndRestartsTheFit) {
  OffsetEstimator est;
  const int64_t jump_at = kT0 + 2 * kHour + 2 * kMin + 17 * kS;  // mid-window
  // Drifting +30 ppm from +1.5 s, then synced to 0 and steady.
  Synth s{[&](int64_t t) {
            return t < jump_at ? 1500 * kMs + (t - kT0) * 30 / 1'000'000 : int64_t{2} * kMs;
          },
          kMs};
  s.Feed(&est, kT0, kT0 + 3 * kHour);
  Estimate e = est.Current();
  ASSERT_TRUE(e.valid);
  EXPECT_EQ(e.steps, 1u);
  EXPECT_NEAR(static_cast<double>(e.last_step_ns - jump_at) / kS, 0.0, 10.0);
  EXPECT_NEAR(Ms(e.offset_ns), 2.0, 5.0);
  ASSERT_TRUE(e.drift_ppm.has_value());  // from the windows after the step only
  EXPECT_NEAR(*e.drift_ppm, 0.0, 5.0);
  // The windows before the jump tell the drift of the unsynced clock.
  int before = 0;
  for (const WindowEstimate& w : est.windows()) before += w.end_ns < jump_at;
  EXPECT_GT(before, 20);
}

TEST(Estimator, UpwardStepAndMarkStep) {
  OffsetEstimator est;
  const int64_t jump_at = kT0 + 20 * kMin;
  Synth s{[&](int64_t t) { return t < jump_at ? int64_t{0} : 5 * kS; }, kMs};
  s.Feed(&est, kT0, kT0 + 40 * kMin);
  EXPECT_EQ(est.Current().steps, 1u);
  EXPECT_NEAR(Ms(est.Current().offset_ns), 5000.0, 5.0);
  est.MarkStep(kT0 + 41 * kMin);
  EXPECT_EQ(est.Current().steps, 2u);
  EXPECT_FALSE(est.Current().drift_ppm.has_value());
}

TEST(Estimator, BacklogFlushIsNotAStep) {
  // A sender's queue emptied after an outage: device times a minute apart, received at once.
  OffsetEstimator est;
  Synth s{[](int64_t) { return int64_t{0}; }, kMs};
  s.Feed(&est, kT0, kT0 + 10 * kMin);
  for (int i = 0; i < 60; ++i) {
    est.Add({kT0 + 10 * kMin + i * kS, kT0 + 11 * kMin + i * 10 * kMs, kMs});
  }
  s.Feed(&est, kT0 + 11 * kMin, kT0 + 20 * kMin);
  Estimate e = est.Current();
  EXPECT_EQ(e.steps, 0u);
  EXPECT_NEAR(Ms(e.offset_ns), 0.0, 5.0);
}

TEST(Estimator, FutureStampedOutlierIgnored) {
  OffsetEstimator est;
  Synth s{[](int64_t) { return int64_t{0}; }, kMs};
  s.Feed(&est, kT0, kT0 + 2 * kMin);
  est.Add({kT0 + 2 * kMin + 3600 * kS, kT0 + 2 * kMin, kMs});
  s.Feed(&est, kT0 + 2 * kMin + kS, kT0 + 4 * kMin);
  EXPECT_NEAR(Ms(est.Current().offset_ns), 0.0, 5.0);
}

TEST(Estimator, FewSamplesHaveWideUncertainty) {
  OffsetEstimator est;
  est.Add({kT0 + 3 * kS, kT0 + 10 * kMs, kS});
  Estimate e = est.Current();
  ASSERT_TRUE(e.valid);
  EXPECT_GE(e.uncertainty_ns, 500 * kMs);
  EXPECT_FALSE(e.drift_ppm.has_value());
}

TEST(Estimator, JsonRoundTrip) {
  OffsetEstimator est;
  Synth s{[](int64_t) { return 3 * kS; }, kMs};
  s.Feed(&est, kT0, kT0 + 32 * kMin);
  OffsetEstimator back = OffsetEstimator::FromJson(est.ToJson(), EstimatorOptions{});
  EXPECT_EQ(back.Current().offset_ns, est.Current().offset_ns);
  EXPECT_EQ(back.Current().uncertainty_ns, est.Current().uncertainty_ns);
  EXPECT_EQ(back.windows().size(), est.windows().size());
  EXPECT_EQ(back.DriftPpm(), est.DriftPpm());
}

}  // namespace
}  // namespace kiroku::timewatch

// OffsetEstimator: one source's clock offset (device clock minus true time; positive = the
// device is ahead) and drift, from the device time and the receive time of its records.
//
// Transit and queueing delays only ever add to the receive time, so d = device - receive is at
// most the offset: the estimate of a window (default 5 min of receive time) is the upper
// envelope of d (the lower envelope of receive - device), with one isolated outlier above the
// rest rejected. Truncated timestamps (whole seconds for RFC 3164) lower d by up to one unit,
// which the estimate corrects by the expected minimum of n uniform fractions. Drift is a
// Theil-Sen line over the window estimates since the last clock step. A step (the device's
// clock jumped, e.g. when it synced) is detected inside a window (a run of samples off the
// envelope by more than the step threshold, at one level) or between windows (the new window
// is off the prediction), and restarts the fit. docs/clock.md explains the numbers.
//
//   OffsetEstimator est;
//   est.Add({.device_ns = d, .receive_ns = r, .precision_ns = 1'000'000});
//   Estimate e = est.Current();   // e.offset_ns ± e.uncertainty_ns, e.drift_ppm
#pragma once

#include <cstdint>
#include <deque>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

namespace kiroku::timewatch {

struct Sample {
  int64_t device_ns = 0;
  int64_t receive_ns = 0;
  int64_t precision_ns = 1'000'000'000;  // unit of the device timestamp (1 s, 1 ms, 1 us)
};

struct EstimatorOptions {
  int64_t window_ns = 300'000'000'000;      // one estimate per 5 min of receive time
  int64_t step_threshold_ns = 200'000'000;  // at least; twice the precision for coarse clocks
  int step_confirm_samples = 5;             // a step needs this many samples at the new level
  int64_t step_confirm_ns = 5'000'000'000;  // spanning at least this long
  size_t max_windows = 48;                  // kept for the drift fit
  size_t drift_windows = 48;                // the fit uses at most the last 48 (4 h)
  int drift_min_windows = 3;
  int64_t drift_min_span_ns = 900'000'000'000;  // 15 min
  // And long enough that the windows' uncertainty allows this precision of the drift: whole-
  // second clocks need hours before their drift means anything.
  double drift_precision_ppm = 5.0;
};

// The estimate of one closed window.
struct WindowEstimate {
  int64_t start_ns = 0;  // receive time of its first sample
  int64_t end_ns = 0;    // receive time of its last sample
  int64_t at_ns = 0;     // receive time of the envelope sample: when offset_ns held
  int64_t offset_ns = 0;
  int64_t uncertainty_ns = 0;
  int64_t precision_ns = 0;
  uint64_t samples = 0;
  bool step_before = false;  // a clock step separates it from the previous window
};

struct Estimate {
  bool valid = false;
  int64_t at_ns = 0;  // receive time the offset refers to
  int64_t offset_ns = 0;
  int64_t uncertainty_ns = 0;
  int64_t precision_ns = 0;
  uint64_t samples = 0;  // behind this estimate
  std::optional<double> drift_ppm;
  uint64_t steps = 0;
  int64_t last_step_ns = 0;  // receive time of the last step, 0 if none
};

class OffsetEstimator {
 public:
  explicit OffsetEstimator(EstimatorOptions options = {}) : opt_(options) {}

  void Add(const Sample& s);
  // Closes the open window when `now_ns` is past its end (the source went quiet).
  void CloseIfDue(int64_t now_ns);
  // A sync event said the clock stepped at receive time `at_ns`: close the window there.
  void MarkStep(int64_t at_ns);

  // The open window when it has enough samples, else the last closed window moved on by the
  // drift.
  Estimate Current() const;
  std::optional<double> DriftPpm() const;
  const std::deque<WindowEstimate>& windows() const { return windows_; }
  // Windows closed since the last call (for the offset history).
  std::vector<WindowEstimate> TakeClosed();

  nlohmann::json ToJson() const;
  static OffsetEstimator FromJson(const nlohmann::json& j, EstimatorOptions options);

 private:
  struct Top {  // the three largest d of a window, with their receive times
    int64_t d[3];
    int64_t at[3];
    int64_t precision[3];
    int n = 0;
    void Add(int64_t d, int64_t at, int64_t precision);
  };
  struct Window {
    int64_t start_ns = 0;
    int64_t end_ns = 0;
    uint64_t n = 0;
    Top top;
    bool step_before = false;
    bool empty() const { return n == 0; }
  };
  struct Streak {  // samples off the window's envelope by more than the step threshold
    uint64_t n = 0;
    int64_t first_ns = 0;
    int64_t last_ns = 0;
    int64_t min_d = 0;
    Top top;
    bool above = false;
  };

  int64_t StepThreshold(int64_t precision_ns) const;
  // REQUIRES: !w.empty()
  WindowEstimate Evaluate(const Window& w) const;
  void Close();
  std::optional<double> DriftOver(size_t count) const;

  EstimatorOptions opt_;
  Window open_;
  Streak streak_;
  std::deque<WindowEstimate> windows_;
  std::vector<WindowEstimate> closed_;
  uint64_t steps_ = 0;
  int64_t last_step_ns_ = 0;
  bool pending_step_ = false;
};

}  // namespace kiroku::timewatch

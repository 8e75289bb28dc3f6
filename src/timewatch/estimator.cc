#include "timewatch/estimator.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace kiroku::timewatch {

namespace {
// Below this the uncertainty is not believable: the least transit delay is unknown, and a LAN
// hop plus the sender's own queueing is about a millisecond.
constexpr int64_t kMinUncertaintyNs = 1'000'000;
// With fewer than three samples nothing says how far the envelope is from the truth.
constexpr int64_t kFewSamplesNs = 100'000'000;
// A sample this far above the rest of the window is a wrong timestamp, not the envelope.
constexpr int64_t kOutlierGapNs = 1'000'000'000;
}  // namespace

void OffsetEstimator::Top::Add(int64_t dv, int64_t atv, int64_t prec) {
  int i = n < 3 ? n++ : 3;
  if (i == 3) {
    if (dv <= d[2]) return;
    i = 2;
  }
  while (i > 0 && d[i - 1] < dv) {
    d[i] = d[i - 1];
    at[i] = at[i - 1];
    precision[i] = precision[i - 1];
    --i;
  }
  d[i] = dv;
  at[i] = atv;
  precision[i] = prec;
}

int64_t OffsetEstimator::StepThreshold(int64_t precision_ns) const {
  return std::max(opt_.step_threshold_ns, 2 * precision_ns);
}

namespace {
// The index of the envelope sample in a window's top three: the largest, unless it stands
// alone far above the next (a wrong timestamp).
int EnvelopeIndex(const int64_t* d, int top_n, uint64_t n, int64_t precision) {
  const int64_t gap = std::max(kOutlierGapNs, 2 * precision);
  if (top_n < 3 || n < 5) return 0;
  if (d[0] - d[1] <= gap) return 0;
  return d[1] - d[2] <= gap ? 1 : 2;
}
}  // namespace

WindowEstimate OffsetEstimator::Evaluate(const Window& w) const {
  const Top& t = w.top;
  const int k = EnvelopeIndex(t.d, t.n, w.n, t.precision[0]);
  const int64_t p = t.precision[k];
  WindowEstimate e;
  e.start_ns = w.start_ns;
  e.end_ns = w.end_ns;
  e.at_ns = t.at[k];
  e.samples = w.n;
  e.precision_ns = p;
  e.step_before = w.step_before;
  // A truncated timestamp is up to one unit early; the least fraction of n is about 1/(n+1).
  const int64_t truncation = p / static_cast<int64_t>(w.n + 1);
  e.offset_ns = t.d[k] + truncation;
  const int64_t spread = t.n - k >= 3   ? t.d[k] - t.d[k + 2]
                         : t.n - k == 2 ? 2 * (t.d[k] - t.d[k + 1]) + p / 2
                                        : std::max(p / 2, kFewSamplesNs);
  e.uncertainty_ns = std::max(truncation, kMinUncertaintyNs) + spread;
  return e;
}

void OffsetEstimator::Add(const Sample& s) {
  const int64_t d = s.device_ns - s.receive_ns;
  if (!open_.empty() && s.receive_ns - open_.start_ns >= opt_.window_ns) Close();

  // The level new samples are compared with: the open window's envelope once it has three
  // samples, before that the previous window's estimate.
  std::optional<int64_t> level;
  if (open_.n >= 3) {
    level = open_.top.d[EnvelopeIndex(open_.top.d, open_.top.n, open_.n, open_.top.precision[0])];
  } else if (!windows_.empty() && !pending_step_ && !open_.step_before &&
             s.receive_ns - windows_.back().end_ns < 2 * opt_.window_ns) {
    level = windows_.back().offset_ns;
  }
  const int64_t thr = StepThreshold(s.precision_ns);
  if (!level || std::llabs(d - *level) <= thr) {
    streak_ = {};
    if (open_.empty()) open_.start_ns = s.receive_ns;
    open_.end_ns = s.receive_ns;
    ++open_.n;
    open_.top.Add(d, s.receive_ns, s.precision_ns);
    return;
  }
  // Off the level: the start of a step, or a delayed (or mis-stamped) sample.
  const bool above = d > *level;
  if (streak_.n > 0 && (streak_.above != above || std::llabs(d - streak_.top.d[0]) > thr)) {
    streak_ = {};
  }
  if (streak_.n == 0) {
    streak_.first_ns = s.receive_ns;
    streak_.above = above;
    streak_.min_d = d;
  }
  ++streak_.n;
  streak_.last_ns = s.receive_ns;
  streak_.min_d = std::min(streak_.min_d, d);
  streak_.top.Add(d, s.receive_ns, s.precision_ns);
  if (streak_.n >= static_cast<uint64_t>(opt_.step_confirm_samples) &&
      streak_.last_ns - streak_.first_ns >= opt_.step_confirm_ns &&
      streak_.top.d[0] - streak_.min_d <= thr) {
    Streak st = streak_;
    Close();
    open_.start_ns = st.first_ns;
    open_.end_ns = st.last_ns;
    open_.n = st.n;
    open_.top = st.top;
    open_.step_before = true;
    ++steps_;
    last_step_ns_ = st.first_ns;
  }
}

void OffsetEstimator::CloseIfDue(int64_t now_ns) {
  if (!open_.empty() && now_ns - open_.start_ns >= opt_.window_ns) Close();
}

void OffsetEstimator::MarkStep(int64_t at_ns) {
  Close();
  pending_step_ = true;
  ++steps_;
  last_step_ns_ = at_ns;
}

void OffsetEstimator::Close() {
  streak_ = {};
  if (open_.empty()) return;
  WindowEstimate w = Evaluate(open_);
  if (pending_step_) w.step_before = true;
  if (!w.step_before && !windows_.empty()) {
    const WindowEstimate& last = windows_.back();
    const double drift = DriftOver(opt_.drift_windows).value_or(0.0);
    const int64_t predicted =
        last.offset_ns +
        static_cast<int64_t>(drift * 1e-6 * static_cast<double>(w.at_ns - last.at_ns));
    const int64_t thr =
        std::max(StepThreshold(w.precision_ns), 3 * (last.uncertainty_ns + w.uncertainty_ns));
    if (std::llabs(w.offset_ns - predicted) > thr) {
      w.step_before = true;
      ++steps_;
      last_step_ns_ = w.start_ns;
    }
  }
  windows_.push_back(w);
  closed_.push_back(w);
  while (windows_.size() > opt_.max_windows) windows_.pop_front();
  open_ = {};
  pending_step_ = false;
}

std::optional<double> OffsetEstimator::DriftOver(size_t count) const {
  // The windows since the last step, at most `count` of them.
  size_t first = windows_.size();
  while (first > 0 && windows_.size() - first < count) {
    --first;
    if (windows_[first].step_before) break;
  }
  const size_t n = windows_.size() - first;
  if (n < static_cast<size_t>(opt_.drift_min_windows)) return std::nullopt;
  const int64_t span = windows_.back().at_ns - windows_[first].at_ns;
  if (span < opt_.drift_min_span_ns) return std::nullopt;
  std::vector<int64_t> u;
  for (size_t i = first; i < windows_.size(); ++i) u.push_back(windows_[i].uncertainty_ns);
  std::nth_element(u.begin(), u.begin() + static_cast<std::ptrdiff_t>(u.size() / 2), u.end());
  if (2.0 * static_cast<double>(u[u.size() / 2]) / static_cast<double>(span) * 1e6 >
      opt_.drift_precision_ppm) {
    return std::nullopt;
  }
  std::vector<double> slopes;
  slopes.reserve(n * (n - 1) / 2);
  for (size_t i = first; i < windows_.size(); ++i) {
    for (size_t j = i + 1; j < windows_.size(); ++j) {
      const int64_t dt = windows_[j].at_ns - windows_[i].at_ns;
      if (dt <= 0) continue;
      slopes.push_back(static_cast<double>(windows_[j].offset_ns - windows_[i].offset_ns) /
                       static_cast<double>(dt));
    }
  }
  if (slopes.empty()) return std::nullopt;
  auto mid = slopes.begin() + static_cast<std::ptrdiff_t>(slopes.size() / 2);
  std::nth_element(slopes.begin(), mid, slopes.end());
  return *mid * 1e6;
}

std::optional<double> OffsetEstimator::DriftPpm() const {
  if (pending_step_ || open_.step_before) return std::nullopt;
  return DriftOver(opt_.drift_windows);
}

Estimate OffsetEstimator::Current() const {
  Estimate e;
  e.steps = steps_;
  e.last_step_ns = last_step_ns_;
  e.drift_ppm = DriftPpm();
  const bool open_first = open_.step_before || pending_step_ || windows_.empty();
  if (open_.n >= 3 || (open_.n > 0 && open_first)) {
    WindowEstimate w = Evaluate(open_);
    e.valid = true;
    e.at_ns = w.at_ns;
    e.offset_ns = w.offset_ns;
    e.uncertainty_ns = w.uncertainty_ns;
    e.precision_ns = w.precision_ns;
    e.samples = w.samples;
  } else if (!windows_.empty() && !pending_step_) {
    const WindowEstimate& w = windows_.back();
    e.valid = true;
    e.at_ns = w.at_ns;
    e.offset_ns = w.offset_ns;
    e.uncertainty_ns = w.uncertainty_ns;
    e.precision_ns = w.precision_ns;
    e.samples = w.samples;
  }
  return e;
}

std::vector<WindowEstimate> OffsetEstimator::TakeClosed() {
  std::vector<WindowEstimate> out;
  out.swap(closed_);
  return out;
}

namespace {
nlohmann::json WindowToJson(const WindowEstimate& w) {
  return nlohmann::json::array({w.start_ns, w.end_ns, w.at_ns, w.offset_ns, w.uncertainty_ns,
                                w.precision_ns, w.samples, w.step_before});
}
WindowEstimate WindowFromJson(const nlohmann::json& a) {
  WindowEstimate w;
  w.start_ns = a.at(0).get<int64_t>();
  w.end_ns = a.at(1).get<int64_t>();
  w.at_ns = a.at(2).get<int64_t>();
  w.offset_ns = a.at(3).get<int64_t>();
  w.uncertainty_ns = a.at(4).get<int64_t>();
  w.precision_ns = a.at(5).get<int64_t>();
  w.samples = a.at(6).get<uint64_t>();
  w.step_before = a.at(7).get<bool>();
  return w;
}
}  // namespace

nlohmann::json OffsetEstimator::ToJson() const {
  nlohmann::json j;
  j["steps"] = steps_;
  j["last_step_ns"] = last_step_ns_;
  j["pending_step"] = pending_step_;
  nlohmann::json ws = nlohmann::json::array();
  for (const WindowEstimate& w : windows_) ws.push_back(WindowToJson(w));
  j["windows"] = std::move(ws);
  if (!open_.empty()) {
    nlohmann::json top = nlohmann::json::array();
    for (int i = 0; i < open_.top.n; ++i) {
      top.push_back({open_.top.d[i], open_.top.at[i], open_.top.precision[i]});
    }
    j["open"] = {{"start_ns", open_.start_ns},
                 {"end_ns", open_.end_ns},
                 {"n", open_.n},
                 {"step_before", open_.step_before},
                 {"top", std::move(top)}};
  }
  return j;
}

OffsetEstimator OffsetEstimator::FromJson(const nlohmann::json& j, EstimatorOptions options) {
  OffsetEstimator e(options);
  e.steps_ = j.value("steps", uint64_t{0});
  e.last_step_ns_ = j.value("last_step_ns", int64_t{0});
  e.pending_step_ = j.value("pending_step", false);
  if (j.contains("windows")) {
    for (const auto& a : j["windows"]) e.windows_.push_back(WindowFromJson(a));
  }
  if (j.contains("open")) {
    const auto& o = j["open"];
    e.open_.start_ns = o.at("start_ns").get<int64_t>();
    e.open_.end_ns = o.at("end_ns").get<int64_t>();
    e.open_.n = o.at("n").get<uint64_t>();
    e.open_.step_before = o.value("step_before", false);
    for (const auto& t : o.at("top")) {
      e.open_.top.Add(t.at(0).get<int64_t>(), t.at(1).get<int64_t>(), t.at(2).get<int64_t>());
    }
  }
  return e;
}

}  // namespace kiroku::timewatch

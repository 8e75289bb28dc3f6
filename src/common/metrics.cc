#include "common/metrics.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace kiroku {

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), buckets_(new std::atomic<uint64_t>[bounds_.size() + 1]) {
  std::sort(bounds_.begin(), bounds_.end());
  for (size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0);
}

void Histogram::Observe(double v) {
  size_t i = std::lower_bound(bounds_.begin(), bounds_.end(), v) - bounds_.begin();
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  sum_micros_.fetch_add(static_cast<uint64_t>(std::llround(v * 1e6)), std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::Take() const {
  Snapshot s;
  s.bounds = bounds_;
  uint64_t acc = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    acc += buckets_[i].load(std::memory_order_relaxed);
    s.cumulative.push_back(acc);
  }
  s.count = acc;
  s.sum = static_cast<double>(sum_micros_.load(std::memory_order_relaxed)) / 1e6;
  return s;
}

std::string FormatLabels(const Labels& labels) {
  if (labels.empty()) return "";
  std::string out = "{";
  bool first = true;
  for (const auto& [k, v] : labels) {
    if (!first) out += ',';
    first = false;
    out += k;
    out += "=\"";
    for (char c : v) {
      if (c == '\\' || c == '"') {
        out += '\\';
        out += c;
      } else if (c == '\n') {
        out += "\\n";
      } else {
        out += c;
      }
    }
    out += '"';
  }
  return out + "}";
}

Metrics::Family& Metrics::GetFamily(const std::string& name, const std::string& help,
                                    const char* type) {
  Family& f = families_[name];
  if (f.type.empty()) {
    f.help = help;
    f.type = type;
  }
  return f;
}

Counter& Metrics::GetCounter(const std::string& name, const std::string& help,
                             const Labels& labels) {
  std::lock_guard lock(mu_);
  auto& slot = GetFamily(name, help, "counter").counters[FormatLabels(labels)];
  if (!slot) slot = std::make_unique<Counter>();
  return *slot;
}

Gauge& Metrics::GetGauge(const std::string& name, const std::string& help, const Labels& labels) {
  std::lock_guard lock(mu_);
  auto& slot = GetFamily(name, help, "gauge").gauges[FormatLabels(labels)];
  if (!slot) slot = std::make_unique<Gauge>();
  return *slot;
}

Histogram& Metrics::GetHistogram(const std::string& name, const std::string& help,
                                 std::vector<double> bounds, const Labels& labels) {
  std::lock_guard lock(mu_);
  auto& slot = GetFamily(name, help, "histogram").histograms[FormatLabels(labels)];
  if (!slot) slot = std::make_unique<Histogram>(std::move(bounds));
  return *slot;
}

void Metrics::AddCallbackGauge(const std::string& name, const std::string& help,
                               const Labels& labels, std::function<double()> fn) {
  std::lock_guard lock(mu_);
  GetFamily(name, help, "gauge").callbacks[FormatLabels(labels)] = std::move(fn);
}

namespace {
std::string Num(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);  // shortest exact form
  return std::string(buf, end);
}
// Inserts le="..." into an existing label string.
std::string WithLe(const std::string& labels, const std::string& le) {
  std::string item = "le=\"" + le + "\"";
  if (labels.empty()) return "{" + item + "}";
  return labels.substr(0, labels.size() - 1) + "," + item + "}";
}
}  // namespace

std::string Metrics::RenderPrometheus() const {
  std::lock_guard lock(mu_);
  std::string out;
  for (const auto& [family_name, f] : families_) {
    const std::string& name = family_name;  // lambdas cannot capture structured bindings (clang 14)
    auto line = [&](const std::string& suffix, const std::string& labels, const std::string& v) {
      out.append(name).append(suffix).append(labels).append(" ").append(v).append("\n");
    };
    out.append("# HELP ").append(name).append(" ").append(f.help).append("\n");
    out.append("# TYPE ").append(name).append(" ").append(f.type).append("\n");
    for (const auto& [l, c] : f.counters) line("", l, std::to_string(c->value()));
    for (const auto& [l, g] : f.gauges) line("", l, std::to_string(g->value()));
    for (const auto& [l, fn] : f.callbacks) line("", l, Num(fn()));
    for (const auto& [l, h] : f.histograms) {
      Histogram::Snapshot s = h->Take();
      for (size_t i = 0; i < s.bounds.size(); ++i) {
        line("_bucket", WithLe(l, Num(s.bounds[i])), std::to_string(s.cumulative[i]));
      }
      line("_bucket", WithLe(l, "+Inf"), std::to_string(s.count));
      line("_sum", l, Num(s.sum));
      line("_count", l, std::to_string(s.count));
    }
  }
  return out;
}

}  // namespace kiroku

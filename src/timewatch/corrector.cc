#include "timewatch/corrector.h"

#include <algorithm>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <sstream>

#include "timewatch/clock_watch.h"

namespace kiroku::timewatch {

std::string Corrector::Key(std::string_view host, std::string_view address) const {
  switch (grouping_) {
    case Grouping::kHost:
      return host.empty() ? "\n" + std::string(address) : std::string(host);
    case Grouping::kAddress:
      return "\n" + std::string(address);
    default:
      return std::string(host) + "\n" + std::string(address);
  }
}

void Corrector::AddPoint(std::string_view host, std::string_view address, Point p) {
  points_[Key(host, address)].push_back(p);
}

void Corrector::Finish() {
  for (auto& [k, v] : points_) {
    std::stable_sort(v.begin(), v.end(),
                     [](const Point& a, const Point& b) { return a.at_ns < b.at_ns; });
    // The snapshot's current estimate may repeat the last closed window.
    v.erase(std::unique(v.begin(), v.end(),
                        [](const Point& a, const Point& b) {
                          return a.at_ns == b.at_ns && a.offset_ns == b.offset_ns;
                        }),
            v.end());
  }
}

StatusOr<Corrector> Corrector::Load(Fs& fs, const std::string& data_dir) {
  Corrector c;
  const std::string dir = JoinPath(data_dir, "timewatch");
  StatusOr<std::string> snap = fs.ReadFile(JoinPath(dir, kSnapshotFile));
  nlohmann::json j;
  if (snap.ok()) {
    try {
      j = nlohmann::json::parse(*snap);
      if (auto g = GroupingFromName(j.at("settings").value("grouping", "host+address"))) {
        c.grouping_ = *g;
      }
    } catch (const std::exception& e) {
      return Status::Corruption(std::string("timewatch snapshot: ") + e.what());
    }
  } else if (snap.status().code() != Status::Code::kNotFound) {
    return snap.status();
  }
  StatusOr<std::string> hist = fs.ReadFile(JoinPath(dir, kHistoryFile));
  if (hist.ok()) {
    std::istringstream in(*hist);
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      try {  // a torn last line after a crash is skipped
        nlohmann::json h = nlohmann::json::parse(line);
        c.AddPoint(h.at("host").get<std::string>(), h.at("address").get<std::string>(),
                   Point{h.at("start_ns").get<int64_t>(), h.at("at_ns").get<int64_t>(),
                         h.at("offset_ns").get<int64_t>(), h.at("uncertainty_ns").get<int64_t>(),
                         h.value("step", false)});
      } catch (const std::exception&) {
      }
    }
  } else if (hist.status().code() != Status::Code::kNotFound) {
    return hist.status();
  }
  if (!j.is_null()) {
    try {
      for (const auto& sj : j.at("sources")) {
        SourceState s = SourceState::FromJson(sj, EstimatorOptions{});
        Estimate e = s.est.Current();
        if (!e.valid) continue;
        const bool after_step = e.last_step_ns != 0 && e.last_step_ns <= e.at_ns &&
                                !s.est.windows().empty() &&
                                s.est.windows().back().at_ns < e.last_step_ns;
        c.AddPoint(s.host, s.address,
                   Point{e.at_ns, e.at_ns, e.offset_ns, e.uncertainty_ns, after_step});
      }
      std::vector<std::pair<int64_t, int64_t>> iv;
      const auto& sc = j.value("server_clock", nlohmann::json::object());
      for (const auto& p : sc.value("unsynced_intervals", nlohmann::json::array())) {
        iv.emplace_back(p.at(0).get<int64_t>(), p.at(1).get<int64_t>());
      }
      c.unsynced_ = std::move(iv);
    } catch (const std::exception& e) {
      return Status::Corruption(std::string("timewatch snapshot: ") + e.what());
    }
  }
  c.Finish();
  return c;
}

std::pair<int64_t, int64_t> Corrector::At(const std::vector<Point>& pts, int64_t t) {
  auto it = std::lower_bound(pts.begin(), pts.end(), t,
                             [](const Point& p, int64_t v) { return p.at_ns < v; });
  if (it == pts.begin()) return {it->offset_ns, it->uncertainty_ns};
  if (it == pts.end()) return {pts.back().offset_ns, pts.back().uncertainty_ns};
  const Point& a = *(it - 1);
  const Point& b = *it;
  if (b.step_before) {
    return t < b.start_ns ? std::make_pair(a.offset_ns, a.uncertainty_ns)
                          : std::make_pair(b.offset_ns, b.uncertainty_ns);
  }
  const double f = static_cast<double>(t - a.at_ns) / static_cast<double>(b.at_ns - a.at_ns);
  const int64_t off =
      a.offset_ns + static_cast<int64_t>(f * static_cast<double>(b.offset_ns - a.offset_ns));
  return {off, std::max(a.uncertainty_ns, b.uncertainty_ns)};
}

Correction Corrector::Correct(std::string_view host, std::string_view address,
                              int64_t device_ns) const {
  Correction c;
  c.corrected_ns = device_ns;
  auto it = points_.find(Key(host, address));
  if (it == points_.end() || it->second.empty()) return c;
  // The points are indexed by receive (true) time; the device time is off by the offset, so
  // look up twice: the second lookup is at the first corrected time.
  auto [off1, u1] = At(it->second, device_ns);
  auto [off, u] = At(it->second, device_ns - off1);
  (void)u1;
  c.offset_ns = off;
  c.uncertainty_ns = u;
  c.corrected_ns = device_ns - off;
  c.estimated = true;
  return c;
}

int64_t Corrector::MaxAbsOffsetNs() const {
  int64_t most = 0;
  for (const auto& [k, pts] : points_) {
    for (const Point& p : pts) {
      // INT64_MIN has no absolute value; no clock is that far off, but the file is input.
      most = std::max(most, p.offset_ns == INT64_MIN ? INT64_MAX : std::abs(p.offset_ns));
    }
  }
  return most;
}

bool Corrector::ReceiveUnsynced(int64_t receive_ns) const {
  for (const auto& [a, b] : unsynced_) {
    if (receive_ns >= a && (b == 0 || receive_ns < b)) return true;
  }
  return false;
}

}  // namespace kiroku::timewatch

#include "timewatch/corrector.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "timewatch/clock_watch.h"

namespace kiroku::timewatch {
namespace {

// One offsets.jsonl line as the clock watch writes it, read in one pass without a JSON parser
// (a year of history is millions of lines, and every corrected search reads them all): a flat
// object of "key":value pairs whose values are strings without escapes, integers or booleans.
// False for a line in any other shape (escapes, spaces, a torn tail, a missing key): the
// caller then uses the JSON parser.
bool FastHistoryLine(std::string_view line, std::string_view* host, std::string_view* address,
                     Corrector::Point* p) {
  if (line.size() < 2 || line.front() != '{' || line.back() != '}') return false;
  size_t i = 1;
  const size_t end = line.size() - 1;
  int seen = 0;  // bits: host, address, start_ns, at_ns, offset_ns, uncertainty_ns
  p->step_before = false;
  auto quoted = [&](std::string_view* out) {
    if (i >= end || line[i] != '"') return false;
    const size_t close = line.find('"', i + 1);
    if (close == std::string_view::npos || close >= end) return false;
    *out = line.substr(i + 1, close - i - 1);
    if (out->find('\\') != std::string_view::npos) return false;
    i = close + 1;
    return true;
  };
  while (i < end) {
    std::string_view key, text;
    if (!quoted(&key) || i >= end || line[i] != ':') return false;
    ++i;
    int64_t* number = nullptr;
    int bit = 0;
    if (key == "host" || key == "address") {
      if (!quoted(&text)) return false;
      *(key == "host" ? host : address) = text;
      seen |= key == "host" ? 1 : 2;
    } else {
      const size_t stop = std::min(line.find(',', i), end);
      text = line.substr(i, stop - i);
      i = stop;
      if (key == "start_ns") {
        number = &p->start_ns, bit = 4;
      } else if (key == "at_ns") {
        number = &p->at_ns, bit = 8;
      } else if (key == "offset_ns") {
        number = &p->offset_ns, bit = 16;
      } else if (key == "uncertainty_ns") {
        number = &p->uncertainty_ns, bit = 32;
      } else if (key == "step") {
        if (text != "true" && text != "false") return false;
        p->step_before = text == "true";
      } else if (text.empty() || text.front() == '"' || text.front() == '{' ||
                 text.front() == '[') {
        return false;  // another key's value is a number or a boolean, or the shape is not ours
      }
      if (number != nullptr) {
        auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), *number);
        if (ec != std::errc() || ptr != text.data() + text.size()) return false;
        seen |= bit;
      }
    }
    if (i < end) {
      if (line[i] != ',') return false;
      ++i;
    }
  }
  return seen == 63;
}

}  // namespace

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
  // Consecutive points often come from one source: its list is kept at hand.
  if (last_ == nullptr || host != last_host_ || address != last_address_) {
    last_ = &points_[Key(host, address)];
    last_host_.assign(host);
    last_address_.assign(address);
  }
  last_->push_back(p);
}

void Corrector::Finish() {
  last_ = nullptr;
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
  // The history is read in 1 MiB pieces: it can be hundreds of MB after years of drifting
  // sources, and only the points are kept.
  StatusOr<std::unique_ptr<RandomAccessFile>> hist = fs.OpenReadable(JoinPath(dir, kHistoryFile));
  if (hist.ok()) {
    auto add_line = [&c](std::string_view line) {
      if (line.empty()) return;
      std::string_view host, address;
      Point fast{};
      if (FastHistoryLine(line, &host, &address, &fast)) {
        c.AddPoint(host, address, fast);
        return;
      }
      try {  // a torn last line after a crash is skipped
        nlohmann::json h = nlohmann::json::parse(line);
        c.AddPoint(h.at("host").get<std::string>(), h.at("address").get<std::string>(),
                   Point{h.at("start_ns").get<int64_t>(), h.at("at_ns").get<int64_t>(),
                         h.at("offset_ns").get<int64_t>(), h.at("uncertainty_ns").get<int64_t>(),
                         h.value("step", false)});
      } catch (const std::exception&) {
      }
    };
    constexpr size_t kPiece = 1 << 20;
    std::string buf;  // a partial line carried over, then the next piece
    uint64_t offset = 0;
    while (true) {
      const size_t carried = buf.size();
      buf.resize(carried + kPiece);
      StatusOr<size_t> n = (*hist)->Read(offset, kPiece, buf.data() + carried);
      if (!n.ok()) return n.status();
      buf.resize(carried + *n);
      offset += *n;
      std::string_view rest = buf;
      size_t nl;
      while ((nl = rest.find('\n')) != std::string_view::npos) {
        add_line(rest.substr(0, nl));
        rest.remove_prefix(nl + 1);
      }
      if (*n == 0) {
        add_line(rest);  // a last line without its newline (torn, or written by hand)
        break;
      }
      buf.erase(0, buf.size() - rest.size());
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

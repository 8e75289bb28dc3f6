// Corrector: the skew-corrected timeline. Loads what the clock watch left in DATA/timewatch/
// (the offset history offsets.jsonl and the snapshot sources.json) and corrects a record's
// device time by the offset its source had at that moment: corrected = device - offset, the
// offset interpolated between the window estimates around it (never across a clock step).
// Read-only, safe while the server runs; a data directory without a clock watch gives an empty
// corrector whose answers say `estimated = false`.
//
//   StatusOr<Corrector> c = Corrector::Load(fs, data_dir);
//   Correction k = c->Correct(host, address, *record.header.device_time_ns);
//   if (k.estimated) print(k.corrected_ns, "±", k.uncertainty_ns);
//   bool mark = c->ReceiveUnsynced(record.receive_time_ns);   // server clock was unsynced
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/fs.h"
#include "common/status.h"
#include "timewatch/source.h"

namespace kiroku::timewatch {

struct Correction {
  int64_t corrected_ns = 0;  // == the device time when !estimated
  int64_t offset_ns = 0;     // subtracted
  int64_t uncertainty_ns = 0;
  bool estimated = false;
};

class Corrector {
 public:
  struct Point {
    int64_t start_ns;  // the window's first receive time
    int64_t at_ns;
    int64_t offset_ns;
    int64_t uncertainty_ns;
    bool step_before;
  };

  static StatusOr<Corrector> Load(Fs& fs, const std::string& data_dir);

  // A source's estimates; for tests and tools that build a corrector by hand.
  void AddPoint(std::string_view host, std::string_view address, Point p);
  void Finish();  // sorts the points; REQUIRES: after the last AddPoint
  void SetUnsyncedIntervals(std::vector<std::pair<int64_t, int64_t>> iv) {
    unsynced_ = std::move(iv);
  }

  bool empty() const { return points_.empty(); }
  // The largest |offset| of any estimate: Correct never moves a time further (interpolation
  // stays between two estimates), so a search ordering by corrected time reads blocks with
  // this much slack.
  int64_t MaxAbsOffsetNs() const;
  Correction Correct(std::string_view host, std::string_view address, int64_t device_ns) const;
  // True when the server clock was known to be unsynchronised at this receive time.
  bool ReceiveUnsynced(int64_t receive_ns) const;

 private:
  std::string Key(std::string_view host, std::string_view address) const;
  // The offset at receive time t from one source's sorted points.
  static std::pair<int64_t, int64_t> At(const std::vector<Point>& pts, int64_t t);

  Grouping grouping_ = Grouping::kHostAddress;
  std::map<std::string, std::vector<Point>, std::less<>> points_;
  std::string last_host_, last_address_;  // AddPoint's last source, and
  std::vector<Point>* last_ = nullptr;    // its list (std::map never moves its values)
  std::vector<std::pair<int64_t, int64_t>> unsynced_;
};

}  // namespace kiroku::timewatch

// Output of `kiroku search`: one Formatter per --format, fed matching records in order.
//
// Formatters buffer and write to the stream in large pieces; Finish() writes what is left.
// Every formatter treats record content as hostile: it comes from the network, so it is
// escaped for the output's own syntax (terminal, JSON, CSV) and invalid UTF-8 never passes
// through unmarked. docs/query.md shows a sample line of each.
//
//   std::unique_ptr<Formatter> f = MakeFormatter(OutputFormat::kJson, std::cout);
//   f->Write(record);
//   f->Finish();
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string_view>

#include "common/record.h"
#include "normalize/event.h"

namespace kiroku::query {

enum class OutputFormat { kTable, kJson, kCsv };

// A record's times under `kiroku search --time device|received|corrected` (engine/time_mode.h,
// docs/query.md "Which time"): `shown_ns` is what @timestamp and the time column show; JSON adds
// the rest under kiroku.time. Without it (nullptr) @timestamp is the device time and nothing is
// added.
struct RecordTimes {
  std::string_view mode;  // "device", "received" or "corrected"
  int64_t shown_ns = 0;
  int64_t device_ns = 0;     // @timestamp of --time device (the receive time when none)
  bool estimated = false;    // the source has a clock-offset estimate: the next two are set
  int64_t corrected_ns = 0;  // device time minus the offset (== device_ns when not applied)
  int64_t uncertainty_ns = 0;
  bool receive_unsynced = false;  // the server clock was unsynchronised at receive time
};

std::optional<OutputFormat> OutputFormatFromName(std::string_view name);  // "table", ...
std::string_view OutputFormatName(OutputFormat f);

class Formatter {
 public:
  Formatter() = default;
  virtual ~Formatter() = default;
  Formatter(const Formatter&) = delete;
  Formatter& operator=(const Formatter&) = delete;

  // The record, its normalised fields (nullptr: not normalised) and its times (nullptr: as
  // stored) are only valid during the call; formatters copy what they keep.
  virtual void Write(const RecordView& record, const normalize::Event* event,
                     const RecordTimes* times) = 0;
  void Write(const RecordView& record, const normalize::Event* event) {
    Write(record, event, nullptr);
  }
  void Write(const RecordView& record) { Write(record, nullptr, nullptr); }
  // Writes anything still buffered (and a table's last rows). Call once, after the last Write.
  virtual void Finish() = 0;
};

std::unique_ptr<Formatter> MakeFormatter(OutputFormat format, std::ostream& out);

}  // namespace kiroku::query

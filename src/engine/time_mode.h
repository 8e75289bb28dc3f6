// `--time device|received|corrected` (issue 6): which time a search or timeline shows, orders
// by and applies --since/--until to.
//
//   device     the device's own time (@timestamp as stored; the receive time when the message
//              carried none)
//   received   kiroku's receive time (event.created)
//   corrected  the device time minus its source's clock offset at that moment (the clock
//              watch's estimate, timewatch/corrector.h), where the source has an estimate and
//              the offset is larger than its uncertainty; else the device time. The default.
//
// A TimeSelector loads the corrector once per search and answers, per record, the times the
// formatters print; Compile() turns a request into the query and run options that order and
// window by the chosen time, with the slack the engine needs (docs/query.md "Which time").
//
//   StatusOr<TimeSelector> t = TimeSelector::Load(fs, data_dir, TimeMode::kCorrected);
//   RunOptions opt;
//   StatusOr<query::Node> q = t->Compile(request, now_ns, &opt);
//   engine->Run(*q, opt, [&](const Hit& h) { query::RecordTimes rt = t->Of(h.record); ... });
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/fs.h"
#include "common/record.h"
#include "common/status.h"
#include "engine/engine.h"
#include "query/formatter.h"
#include "query/search_request.h"
#include "timewatch/corrector.h"

namespace kiroku::engine {

enum class TimeMode { kDevice, kReceived, kCorrected };

std::optional<TimeMode> TimeModeFromName(std::string_view name);  // "device", ...
std::string_view TimeModeName(TimeMode mode);

class TimeSelector {
 public:
  // Reads DATA/timewatch/ (a data directory without a clock watch corrects nothing; kDevice
  // reads nothing); errors only for a snapshot that exists and cannot be read.
  static StatusOr<TimeSelector> Load(Fs& fs, const std::string& data_dir, TimeMode mode);
  TimeSelector(TimeMode mode, timewatch::Corrector corrector);

  TimeMode mode() const { return mode_; }
  // Whether output shows the record's times (kiroku.time, ...): not for kDevice, whose output
  // stays exactly what it was before --time existed and depends on the evidence alone, not on
  // the clock watch's changing estimates.
  bool annotates() const { return mode_ != TimeMode::kDevice; }
  // How far the chosen time may be from the block bound the engine orders by (time_base).
  int64_t slack_ns() const { return slack_ns_; }

  // The record's times; shown_ns is what the run orders by.
  query::RecordTimes Of(const RecordView& record) const;
  int64_t TimeOf(const RecordView& record) const { return Of(record).shown_ns; }

  // Sets time_of, time_slack_ns and time_base (the hook holds what it needs: the selector may
  // go before the options).
  void Apply(RunOptions* options) const;
  // The request's query with its --since/--until on the chosen time (an index-visible range
  // where there is one, else a range widened by the slack plus options' exact window), and
  // Apply(options). Errors as query::CompileRequest.
  StatusOr<query::Node> Compile(const query::SearchRequest& request, int64_t now_ns,
                                RunOptions* options) const;

 private:
  TimeMode mode_;
  // Shared with the hooks Apply() makes.
  std::shared_ptr<const timewatch::Corrector> corrector_;
  int64_t slack_ns_ = 0;
};

}  // namespace kiroku::engine

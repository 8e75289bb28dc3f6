#include "engine/time_mode.h"

#include <utility>

#include "query/fields.h"
#include "query/parser.h"

namespace kiroku::engine {
namespace {

int64_t SaturatingAdd(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_add_overflow(a, b, &r)) return b > 0 ? INT64_MAX : INT64_MIN;
  return r;
}

// The device time corrected by the record's source offset, where there is an estimate that is
// larger than its own uncertainty (a smaller one is noise: it would only move well-synced
// sources' records by a fraction of a millisecond, docs/clock.md "Corrected timeline").
timewatch::Correction Correct(const timewatch::Corrector& c, const RecordView& r) {
  timewatch::Correction k;
  k.corrected_ns = query::TimestampNs(r);
  // Internal and imported records are not clock-watch sources (timewatch/source.cc).
  if (!r.header.device_time_ns || c.empty() || r.transport == Transport::kInternal ||
      r.transport == Transport::kImport) {
    return k;
  }
  k = c.Correct(r.Field(r.header.host), r.peer.AddressString(), *r.header.device_time_ns);
  if (k.estimated && !(k.offset_ns > k.uncertainty_ns || -k.offset_ns > k.uncertainty_ns)) {
    k.corrected_ns = *r.header.device_time_ns;
  }
  return k;
}

}  // namespace

std::optional<TimeMode> TimeModeFromName(std::string_view name) {
  for (TimeMode m : {TimeMode::kDevice, TimeMode::kReceived, TimeMode::kCorrected}) {
    if (TimeModeName(m) == name) return m;
  }
  return std::nullopt;
}

std::string_view TimeModeName(TimeMode mode) {
  switch (mode) {
    case TimeMode::kDevice:
      return "device";
    case TimeMode::kReceived:
      return "received";
    case TimeMode::kCorrected:
      return "corrected";
  }
  return "?";
}

StatusOr<TimeSelector> TimeSelector::Load(Fs& fs, const std::string& data_dir, TimeMode mode) {
  if (mode == TimeMode::kDevice) return TimeSelector(mode, timewatch::Corrector());
  // received reads it too: its JSON output carries the corrected time.
  StatusOr<timewatch::Corrector> c = timewatch::Corrector::Load(fs, data_dir);
  if (!c.ok()) return c.status();
  return TimeSelector(mode, std::move(*c));
}

TimeSelector::TimeSelector(TimeMode mode, timewatch::Corrector corrector)
    : mode_(mode),
      corrector_(std::make_shared<const timewatch::Corrector>(std::move(corrector))),
      slack_ns_(mode == TimeMode::kCorrected ? corrector_->MaxAbsOffsetNs() : 0) {}

query::RecordTimes TimeSelector::Of(const RecordView& r) const {
  query::RecordTimes t;
  t.mode = TimeModeName(mode_);
  t.device_ns = query::TimestampNs(r);
  timewatch::Correction k = Correct(*corrector_, r);
  t.estimated = k.estimated;
  if (k.estimated) {
    t.corrected_ns = k.corrected_ns;
    t.uncertainty_ns = k.uncertainty_ns;
  }
  t.receive_unsynced = corrector_->ReceiveUnsynced(r.receive_time_ns);
  switch (mode_) {
    case TimeMode::kDevice:
      t.shown_ns = t.device_ns;
      break;
    case TimeMode::kReceived:
      t.shown_ns = r.receive_time_ns;
      break;
    case TimeMode::kCorrected:
      t.shown_ns = k.corrected_ns;
      break;
  }
  return t;
}

void TimeSelector::Apply(RunOptions* o) const {
  switch (mode_) {
    case TimeMode::kDevice:
      o->time_of = nullptr;
      o->time_slack_ns = 0;
      o->time_base = TimeBase::kTimestamp;
      return;
    case TimeMode::kReceived:
      o->time_of = [](const RecordView& r, int64_t) { return r.receive_time_ns; };
      o->time_slack_ns = 0;
      o->time_base = TimeBase::kReceived;
      return;
    case TimeMode::kCorrected:
      if (corrector_->empty()) {  // nothing to correct: as device, at no cost
        o->time_of = nullptr;
        o->time_slack_ns = 0;
      } else {
        o->time_of = [c = corrector_](const RecordView& r, int64_t) {
          return Correct(*c, r).corrected_ns;
        };
        o->time_slack_ns = slack_ns_;
      }
      o->time_base = TimeBase::kTimestamp;
      return;
  }
}

StatusOr<query::Node> TimeSelector::Compile(const query::SearchRequest& request, int64_t now_ns,
                                            RunOptions* options) const {
  StatusOr<std::optional<query::IntRangeTest>> window = query::CompileWindow(request, now_ns);
  if (!window.ok()) return window.status();
  StatusOr<query::Node> q = query::ParseQuery(request.query, now_ns);
  if (!q.ok()) return q.status();
  Apply(options);
  if (!*window) return q;
  const query::IntRangeTest& w = **window;
  switch (mode_) {
    case TimeMode::kDevice:
      return query::WithTimeRange(std::move(*q), "@timestamp", w);
    case TimeMode::kReceived:
      return query::WithTimeRange(std::move(*q), "event.created", w);
    case TimeMode::kCorrected:
      break;
  }
  if (!options->time_of) return query::WithTimeRange(std::move(*q), "@timestamp", w);
  options->time_since_ns = w.lo;
  options->time_until_ns = w.hi;
  query::IntRangeTest wide{w.lo == INT64_MIN ? INT64_MIN : SaturatingAdd(w.lo, -slack_ns_),
                           w.hi == INT64_MAX ? INT64_MAX : SaturatingAdd(w.hi, slack_ns_)};
  return query::WithTimeRange(std::move(*q), "@timestamp", wide);
}

}  // namespace kiroku::engine

// What every investigation runs on: the engine, the site's normaliser settings (which networks
// are internal), the time window of --since/--until, and the time each hit is shown and ordered
// by. Context::Find runs one query and copies each hit into an EventRow the reports keep.
//
// The time column is the engine's Hit::time_ns: the record's @timestamp, or what `time_of`
// returns. Issue 6's clock correction (`--time device|received|corrected`) sets `times`
// (engine/time_mode.h) here: every report and the timeline then show, order and window
// (--since/--until) by that time, and each row keeps all of the record's times.
//
//   Context ctx{.engine = engine.get(), .config = &normalizer->config(), .now_ns = now};
//   std::vector<EventRow> rows;
//   KIROKU_RETURN_IF_ERROR(ctx.Find("user.name:" + Quoted(name), &rows));
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "engine/engine.h"
#include "engine/time_mode.h"
#include "normalize/config.h"
#include "normalize/event.h"
#include "normalize/schema.h"

namespace kiroku::investigate {

// A hit, copied out of the engine's buffers.
struct EventRow {
  uint64_t seq = 0;
  int64_t time_ns = 0;                      // the time shown and ordered by (Context::time_of)
  int64_t receive_time_ns = 0;              // event.created
  std::optional<query::RecordTimes> times;  // with Context::times: device, corrected, ...
  std::string host;                         // host.name
  std::string process;                      // process.name
  std::string message;
  normalize::Event event;

  std::string_view Get(normalize::Field f) const { return event.Get(f); }
  bool Has(normalize::Field f) const { return event.Has(f); }
  std::vector<std::string> All(normalize::Field f) const;
  bool HasValue(normalize::Field f, std::string_view value) const;  // ASCII case-insensitive
};

struct Context {
  engine::Engine* engine = nullptr;
  const normalize::Config* config = nullptr;  // internal networks; nullptr: the defaults
  std::string since;                          // query/time_arg.h forms; "" for none
  std::string until;
  int64_t now_ns = 0;
  engine::TimeFn time_of;  // empty: @timestamp
  int64_t time_slack_ns = 0;
  // --time: overrides time_of and time_slack_ns, and applies --since/--until to that time.
  const engine::TimeSelector* times = nullptr;

  // Runs `query_text` within [since, until) and appends every hit (at most `limit`; 0: all),
  // ordered by time then sequence. InvalidArgument for a bad query or time.
  Status Find(std::string_view query_text, std::vector<EventRow>* out, uint64_t limit = 0) const;

  bool IsInternal(std::string_view ip) const;
};

// Shared text helpers for the reports.
std::string TimeText(int64_t ns);  // RFC 3339 UTC with milliseconds
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace kiroku::investigate

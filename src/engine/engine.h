// The query engine: one query over sealed segments and the unsealed journal, results merged
// and ordered by time, streamed to a callback.
//
//   time bounds -> segments (metadata) -> index terms (index/plan.h) -> blocks -> exact match
//   (query::Matches on decoded, re-normalised records) ; plus a scan of the journal tail.
//
// `kiroku search`, `--stats`, the HTTP API, `kiroku investigate` and `kiroku timeline` all run
// through Run(). Read-only and safe while the server runs.
//
//   auto engine = Engine::Open(fs, data_dir);
//   RunOptions opt{.limit = 100};
//   Status s = (*engine)->Run(query, opt, [&](const Hit& hit) { Print(hit); return true; });
//
// Order: hits come by (time_ns, kiroku.seq) ascending when `ordered` (the default); candidate
// blocks are read in order of their lowest @timestamp and a hit is passed on once no block
// still to be read can hold an earlier one, so the first hits arrive before the last block is
// read and `limit` stops the run early. docs/decisions/engine.md has the details, including
// what is buffered and how damage is handled.
#pragma once

#include <climits>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/fs.h"
#include "common/record.h"
#include "common/status.h"
#include "normalize/event.h"
#include "query/ast.h"

namespace kiroku::engine {

struct Hit {
  const RecordView& record;
  // The record's normalised fields (correlated ones included); null when the run did not ask
  // for them and the query did not need them.
  const normalize::Event* event;
  int64_t time_ns;  // the time results are ordered by (@timestamp, or RunOptions::time_of's)
};

// The hook for corrected or received time (issue 6, engine/time_mode.h): the time a record is
// ordered by, given the record and its @timestamp. Must stay within time_slack_ns of the
// record's @timestamp (or of its receive time with TimeBase::kReceived), so that block time
// bounds still bound the result.
using TimeFn = std::function<int64_t(const RecordView& record, int64_t timestamp_ns)>;

// Which of a block's stored time bounds time_of stays near.
enum class TimeBase { kTimestamp, kReceived };

struct RunOptions {
  uint64_t limit = 0;        // 0: all
  bool need_events = false;  // normalise every hit (JSON output, --stats on normalised fields)
  bool include_internal = true;
  // false: hits in storage order (faster, nothing buffered) for --count and --stats.
  bool ordered = true;
  // @timestamp window [since_ns, until_ns], inclusive, ANDed with the query (callers that
  // already put it in the query leave these alone).
  int64_t since_ns = INT64_MIN;
  int64_t until_ns = INT64_MAX;
  TimeFn time_of;             // empty: order by @timestamp
  int64_t time_slack_ns = 0;  // how far time_of may move a record from its time_base time
  TimeBase time_base = TimeBase::kTimestamp;
  // A window [time_since_ns, time_until_ns] (inclusive) on time_of's time: records outside it
  // are not hits. For a window the index cannot see (corrected time); callers also put a
  // window widened by the slack into the query so that segments and blocks are still skipped.
  int64_t time_since_ns = INT64_MIN;
  int64_t time_until_ns = INT64_MAX;
};

struct RunStats {
  uint64_t segments_total = 0;
  uint64_t segments_opened = 0;  // after the time bounds
  uint64_t blocks_total = 0;     // in the opened segments
  uint64_t blocks_read = 0;      // after the index
  uint64_t records_examined = 0;
  uint64_t journal_records = 0;  // scanned in the unsealed journal
  uint64_t hits = 0;             // passed to the callback
  // Damage stepped over (the run goes on; `kiroku verify` judges): sealed segments that could
  // not be opened, blocks that failed their CRC or did not decompress, journal bytes skipped.
  uint64_t segments_damaged = 0;
  uint64_t blocks_damaged = 0;
  uint64_t journal_bytes_skipped = 0;
  std::vector<std::string> problems;  // one line each: file, block/offset, what is wrong
  uint64_t buffered_peak = 0;         // most hits held at once for ordering
};

// Returns false to stop the run early.
using HitFn = std::function<bool(const Hit&)>;

class Engine {
 public:
  static StatusOr<std::unique_ptr<Engine>> Open(Fs& fs, const std::string& data_dir);
  virtual ~Engine() = default;
  virtual Status Run(const query::Node& query, const RunOptions& options, const HitFn& fn,
                     RunStats* stats) = 0;
  // The number of matches; answers match-all from block tables without reading blocks.
  virtual StatusOr<uint64_t> Count(const query::Node& query, const RunOptions& options,
                                   RunStats* stats) = 0;
};

}  // namespace kiroku::engine

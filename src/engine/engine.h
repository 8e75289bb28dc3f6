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
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

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
  int64_t time_ns;  // the time results are ordered by (@timestamp)
};

struct RunOptions {
  uint64_t limit = 0;         // 0: all
  bool need_events = false;   // normalise every hit (JSON output, --stats on normalised fields)
  bool include_internal = true;
};

struct RunStats {
  uint64_t segments_total = 0;
  uint64_t segments_opened = 0;  // after the time bounds
  uint64_t blocks_total = 0;
  uint64_t blocks_read = 0;      // after the index
  uint64_t records_examined = 0;
  uint64_t journal_records = 0;  // scanned in the unsealed journal
  uint64_t hits = 0;
};

// Returns false to stop the run early.
using HitFn = std::function<bool(const Hit&)>;

class Engine {
 public:
  static StatusOr<std::unique_ptr<Engine>> Open(Fs& fs, const std::string& data_dir);
  virtual ~Engine() = default;
  virtual Status Run(const query::Node& query, const RunOptions& options, const HitFn& fn,
                     RunStats* stats) = 0;
};

}  // namespace kiroku::engine

// `kiroku search` on a data directory: the request (query, window, output, --stats, --fields)
// run through the engine and printed. Shared by the CLI and GET /api/search.
//
// Damage the engine steps over is a warning on `err`, not an error: the undamaged records are
// still evidence, and `kiroku verify` is the tool that judges the damage.
//
//   SearchSpec spec;
//   spec.request.query = "sshd failed";
//   spec.stats = "count by host.name";
//   spec.time = TimeMode::kDevice;
//   StatusOr<PreparedSearch> s = PreparedSearch::Prepare(spec, fs, clock);  // 400-type errors
//   Status done = s->Execute(std::cout, std::cerr);
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/fs.h"
#include "common/status.h"
#include "engine/engine.h"
#include "engine/time_mode.h"
#include "query/search_request.h"

namespace kiroku::engine {

struct SearchSpec {
  query::SearchRequest request;
  std::string stats;     // "count by FIELD[,FIELD]"; "" for records
  std::string fields;    // "a,b,c": only these fields; "" for the format's usual output
  bool explain = false;  // RunStats to `err` at the end
  // --time: the time shown, ordered by and windowed by --since/--until (engine/time_mode.h).
  TimeMode time = TimeMode::kCorrected;
};

class PreparedSearch {
 public:
  // Checks everything a user can get wrong (query, times, --stats, --fields): InvalidArgument
  // naming the flag or column; opens the engine (NotFound for a missing data directory).
  static StatusOr<PreparedSearch> Prepare(const SearchSpec& spec, Fs& fs, const Clock& clock);
  // Runs and prints. `out` going bad (a closed pipe or connection) stops the run quietly.
  Status Execute(std::ostream& out, std::ostream& err);

 private:
  Status RunRecords(std::ostream& out, std::ostream& err, RunStats* stats);
  Status RunStatsQuery(std::ostream& out, RunStats* stats);

  SearchSpec spec_;
  query::Node query_;
  std::shared_ptr<const TimeSelector> times_;
  RunOptions time_options_;  // the time hook and window of every run (TimeSelector::Compile)
  std::vector<const query::FieldDef*> by_;
  std::vector<const query::FieldDef*> fields_;
  std::shared_ptr<Engine> engine_;
};

// Prepare + Execute: errors of both.
Status Search(const SearchSpec& spec, Fs& fs, const Clock& clock, std::ostream& out,
              std::ostream& err);

// Stats default to the top 10 rows; records as query::DefaultLimit.
inline constexpr uint64_t kDefaultStatsRows = 10;

}  // namespace kiroku::engine

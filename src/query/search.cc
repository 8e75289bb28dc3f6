#include "query/search.h"

#include "query/evaluator.h"
#include "query/result_writer.h"
#include "store/journal_reader.h"

namespace kiroku::query {

Status Search(const SearchRequest& request, Fs& fs, const Clock& clock, std::ostream& out,
              std::ostream& err) {
  StatusOr<Node> query = CompileRequest(request, clock.NowNs());
  if (!query.ok()) return query.status();

  ResultWriter results(request, out);
  store::ScanStats stats;
  Status scanned = store::ScanJournal(
      fs, JoinPath(request.data_dir, "journal"), store::ScanOptions{SeqNo{0}},
      [&](const RecordView& r) { return !Matches(*query, r) || results.Add(r); }, &stats);
  if (!scanned.ok()) return scanned;
  results.Finish();

  for (const std::string& problem : stats.problems) {
    err << "kiroku search: warning: journal damage: " << problem << '\n';
  }
  if (stats.bytes_skipped > 0 || !stats.problems.empty()) {
    err << "kiroku search: warning: skipped " << stats.bytes_skipped
        << " damaged bytes; results may be incomplete (run kiroku verify)\n";
  }
  if (results.limited()) {
    err << "kiroku search: showing the first " << results.limit()
        << " matches; --limit N shows more, --limit 0 all\n";
  }
  return Status::Ok();
}

}  // namespace kiroku::query

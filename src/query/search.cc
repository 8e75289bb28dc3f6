#include "query/search.h"

#include "normalize/all/normalizer.h"
#include "query/evaluator.h"
#include "query/result_writer.h"
#include "store/journal_reader.h"

namespace kiroku::query {

namespace {

void ReportScan(const store::ScanStats& stats, const ResultWriter& results, std::ostream& err) {
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
}

}  // namespace

Status Search(const SearchRequest& request, Fs& fs, const Clock& clock, std::ostream& out,
              std::ostream& err) {
  StatusOr<Node> query = CompileRequest(request, clock.NowNs());
  if (!query.ok()) return query.status();

  ResultWriter results(request, out);
  store::ScanStats stats;
  std::string journal = JoinPath(request.data_dir, "journal");

  // Normalised fields cost a normaliser pass, so only when the query or the output needs them:
  // a query on the record's own fields printed as a table never normalises.
  bool match_needs = UsesNormalizedFields(*query);
  bool output_needs = !request.count && request.format == OutputFormat::kJson;
  if (!match_needs && !output_needs) {
    Status scanned = store::ScanJournal(
        fs, journal, store::ScanOptions{SeqNo{0}},
        [&](const RecordView& r) { return !Matches(*query, r) || results.Add(r); }, &stats);
    if (!scanned.ok()) return scanned;
    results.Finish();
    ReportScan(stats, results, err);
    return Status::Ok();
  }

  StatusOr<std::unique_ptr<normalize::Normalizer>> normalizer =
      normalize::LoadNormalizer(fs, request.data_dir);
  if (!normalizer.ok()) return normalizer.status();
  const normalize::Normalizer& n = **normalizer;
  std::unique_ptr<normalize::Correlator> correlator = n.NewCorrelator();
  normalize::Event event;

  // Pass 1: the lines of correlated formats (a mail's queue id, an LDAP connection) tell the
  // correlator what the other lines of their transaction will need.
  store::ScanStats pass1_stats;
  Status observed = store::ScanJournal(
      fs, journal, store::ScanOptions{SeqNo{0}},
      [&](const RecordView& r) {
        if (n.MayCorrelate(r)) {
          n.Normalize(r, &event);
          correlator->Observe(r, event);
        }
        return true;
      },
      &pass1_stats);
  if (!observed.ok()) return observed;

  Status scanned = store::ScanJournal(
      fs, journal, store::ScanOptions{SeqNo{0}},
      [&](const RecordView& r) {
        // A query on the record's own fields that already fails needs no normalising.
        if (!match_needs && !Matches(*query, r)) return true;
        n.Normalize(r, &event);
        correlator->Enrich(r, &event);
        return !Matches(*query, r, &event) || results.Add(r, &event);
      },
      &stats);
  if (!scanned.ok()) return scanned;
  results.Finish();
  ReportScan(stats, results, err);
  return Status::Ok();
}

}  // namespace kiroku::query

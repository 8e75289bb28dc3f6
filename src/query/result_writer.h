// Takes the matching records of a search, in order, and produces the output: the formatter's
// lines up to the limit, or with --count only the number. Separate from the scan so that the
// scan (today the journal, later the index) and the output can each be tested alone.
//
//   ResultWriter w(request, out);
//   scan(..., [&](const RecordView& r) { return !Matches(q, r) || w.Add(r); });
//   w.Finish();
#pragma once

#include <cstdint>
#include <memory>
#include <ostream>

#include "common/record.h"
#include "query/formatter.h"
#include "query/search_request.h"

namespace kiroku::query {

class ResultWriter {
 public:
  ResultWriter(const SearchRequest& request, std::ostream& out);
  ResultWriter(const ResultWriter&) = delete;
  ResultWriter& operator=(const ResultWriter&) = delete;

  // Takes one matching record. Returns false when no more are wanted: the scan should stop.
  // With a limit of N the record after the Nth is still looked at (not printed), so that
  // `limited()` can tell "exactly N" from "N and more".
  bool Add(const RecordView& record, const normalize::Event* event = nullptr);
  // Writes the count or the formatter's remaining output.
  void Finish();

  uint64_t matched() const { return matched_; }
  uint64_t limit() const { return limit_; }  // 0: none
  bool limited() const { return limited_; }  // there were more matches than were printed

 private:
  std::ostream& out_;
  bool count_only_;
  uint64_t limit_;
  std::unique_ptr<Formatter> formatter_;
  uint64_t matched_ = 0;
  bool limited_ = false;
};

}  // namespace kiroku::query

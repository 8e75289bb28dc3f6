// `kiroku search` on a data directory: parse the request, scan the journal, filter, print.
//
// Read-only and safe while the server runs (store::ScanJournal's guarantee). Results come in
// sequence (arrival) order; the term index will replace the scan and order by time.
// Damage the scan reports is a warning on `err`, not an error: the undamaged records are
// still evidence, and `kiroku verify` is the tool that judges the damage.
//
//   SearchRequest req;
//   req.query = "sshd failed";
//   Status s = Search(req, PosixFs::Default(), RealClock::Instance(), std::cout, std::cerr);
#pragma once

#include <ostream>

#include "common/clock.h"
#include "common/fs.h"
#include "common/status.h"
#include "query/search_request.h"

namespace kiroku::query {

// Errors: InvalidArgument for a bad query or time (message names the column or flag), the
// scan's error when the journal cannot be read at all.
Status Search(const SearchRequest& request, Fs& fs, const Clock& clock, std::ostream& out,
              std::ostream& err);

}  // namespace kiroku::query

// The verifier's report for people (one line per finding, then a verdict line) and for
// machines (one JSON object). Field names and kind strings are a contract: docs/formats/
// proofs.md ("kiroku verify output") lists them.
//
//   WriteHumanReport(report, std::cout);   // "... VERDICT: TAMPERED (2 problems)"
//   WriteJsonReport(report, std::cout);    // {"result": "tampered", "findings": [...], ...}
#pragma once

#include <ostream>
#include <string>

#include "verify/finding.h"

namespace kiroku::verify {

void WriteHumanReport(const Report& report, std::ostream& out);
void WriteJsonReport(const Report& report, std::ostream& out);
// One line: "intact: 12345 records, 120 heads" / "tampered: modified 42; missing 7..9" / error.
std::string Summary(const Report& report);

}  // namespace kiroku::verify

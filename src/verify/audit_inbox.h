// Dropping a verification result into DATA/audit-inbox/ for the server's self-audit, which
// records each file it finds there in the log (so a verification is itself evidence).
//
// The file is <unix nanoseconds>-<pid>.json:
//   {"time": "2026-01-01T12:00:00Z", "command": "verify", "result": "intact", "exit_code": 0,
//    "detail": "..."}
// written to a temporary name and renamed, so the server never reads half a file. A data
// directory the verifier cannot write to is skipped silently: verifying needs no write access.
//
//   DropAuditResult(fs, clock, "kiroku-data", "verify", "tampered", 1, Summary(report));
#pragma once

#include <string>

#include "common/clock.h"
#include "common/fs.h"

namespace kiroku::verify {

// Returns the path written, or empty when nothing could be written.
std::string DropAuditResult(Fs& fs, const Clock& clock, const std::string& data_dir,
                            const std::string& command, const std::string& result, int exit_code,
                            const std::string& detail);

// RFC 3339 UTC with nanoseconds trimmed to what is non-zero ("2026-01-01T12:00:00.5Z").
std::string Rfc3339(int64_t time_ns);

}  // namespace kiroku::verify

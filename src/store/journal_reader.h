// Journal scanning for readers outside the server (kiroku search, verify, the sealer).
//
// Read-only and safe while the server appends: an incomplete frame at the very end of the newest
// segment is taken as a write in progress, not as damage. Damage elsewhere is reported in
// ScanStats (bytes skipped, where) and the scan resynchronises on the next valid frame, as
// leveldb's log reader does.
//
//   ScanStats stats;
//   Status s = ScanJournal(fs, "kiroku-data/journal", {}, [](const RecordView& r) {
//     return true;  // false stops the scan
//   }, &stats);
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/fs.h"
#include "common/record.h"
#include "common/status.h"

namespace kiroku::store {

struct ScanOptions {
  SeqNo min_seq{0};  // records below this are skipped (cheaply, by segment name where possible)
};

struct ScanStats {
  uint64_t records = 0;
  uint64_t segments = 0;
  uint64_t bytes_skipped = 0;         // damaged bytes skipped while resynchronising
  std::vector<std::string> problems;  // human-readable: file, offset, what was wrong
};

// Calls `fn` for every valid record in sequence order; the RecordView is valid only during the
// call. Returns an error only when the journal cannot be read at all.
Status ScanJournal(Fs& fs, const std::string& journal_dir, const ScanOptions& options,
                   const std::function<bool(const RecordView&)>& fn, ScanStats* stats);

}  // namespace kiroku::store

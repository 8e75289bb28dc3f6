// LogSource: the records of the log by sequence number, wherever they live now: sealed segments
// (DATA/segments/*.seg) and the journal (DATA/journal/*.journal). Where both hold a seq (the
// sealer crashed between renaming the sealed file and deleting the journal segment) the sealed
// segment wins. Everything that re-reads records by seq after the journal has been sealed away
// reads through it: the tree builder's restart tail, proofs, witness consistency proofs.
//
// Read-only and safe while the server runs: a journal segment the sealer deletes between the
// listing and the read is looked for again among the sealed segments.
//
//   LogSource log(fs, data_dir);
//   LogScanStats stats;
//   Status s = log.Scan(SeqNo{100}, SeqNo{200}, [](const RecordView& r) {
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

namespace kiroku::segment {

struct LogScanStats {
  uint64_t records = 0;
  uint64_t sealed_records = 0;        // of which from sealed segments
  std::vector<std::string> problems;  // damaged blocks, unreadable segments, journal damage
};

class LogSource {
 public:
  // DATA/segments and DATA/journal of `data_dir`.
  LogSource(Fs& fs, const std::string& data_dir);
  LogSource(Fs& fs, std::string segments_dir, std::string journal_dir);

  // Calls `fn` for every readable record with first <= seq <= last, in seq order; the view is
  // valid only during the call. Records that cannot be read (a damaged block or frame, a
  // missing segment) are skipped and named in stats->problems: the caller sees the hole as a
  // jump in seq. Fails only when a directory cannot be listed.
  Status Scan(SeqNo first, SeqNo last, const std::function<bool(const RecordView&)>& fn,
              LogScanStats* stats) const;

  const std::string& segments_dir() const { return segments_dir_; }
  const std::string& journal_dir() const { return journal_dir_; }

 private:
  Fs& fs_;
  std::string segments_dir_;
  std::string journal_dir_;
};

// DATA/segments for a journal directory DATA/journal (its sibling).
std::string SegmentsDirForJournal(const std::string& journal_dir);

}  // namespace kiroku::segment

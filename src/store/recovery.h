// Journal recovery at server start: find where the newest segment's last whole record ends,
// cut off anything after it (a write torn by a crash), and say where appending resumes.
//
// The cut bytes are first copied to DATA/journal/cut-<segment>-<offset>.bin, so nothing is
// silently destroyed, and the cut is reported with spdlog::warn (file, offset, bytes, why).
// Only the newest segment is ever cut: older ones were complete when the next one began, and
// damage in them is the reader's to report, not recovery's to remove.
//
//   auto rec = RecoverJournal(fs, clock, "kiroku-data/journal");
//   if (!rec.ok()) return rec.status();
//   JournalWriter w(fs, clock, dir, rec->active_first, std::move(rec->active));
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "common/clock.h"
#include "common/fs.h"
#include "common/record.h"
#include "common/status.h"

namespace kiroku::store {

struct RecoveredJournal {
  SeqNo active_first;                    // name of the segment to append to
  std::unique_ptr<WritableFile> active;  // open; everything in it is whole and durable
  SeqNo next_seq;                        // seq of the next record to append
  uint64_t segments = 0;                 // segment files in the directory
  uint64_t journal_bytes = 0;            // their total size
  uint64_t bytes_cut = 0;                // moved to a cut file by this recovery
};

// Creates `dir` if missing (with a first segment, seq 1). InvalidArgument if the newest
// segment was written by a newer format version.
// REQUIRES: no other process is writing the journal.
StatusOr<RecoveredJournal> RecoverJournal(Fs& fs, const Clock& clock, const std::string& dir);

}  // namespace kiroku::store

// JournalWriter: appends frames to the active journal segment, knows how much of it is
// durable, cuts a failed write back, and starts new segments.
//
// Used by the committer's writer thread only; not thread-safe. Rotation happens between
// commits, never inside one, so a commit's frames are always in one file.
//
//   JournalWriter w(fs, clock, dir, SeqNo{1}, std::move(active_file));
//   Status s = w.Append(parts);
//   if (s.ok()) s = w.Sync();
//   if (!s.ok()) (void)w.Repair();   // back to w.durable_size()
//   if (w.size() >= max) s = w.Rotate(next_seq);
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/fs.h"
#include "common/record.h"
#include "common/status.h"

namespace kiroku::store {

// Creates the segment `first` in `dir` holding just its header, synced, and its directory
// entry synced. Refuses (AlreadyExists) to overwrite a segment that holds frames.
StatusOr<std::unique_ptr<WritableFile>> CreateSegment(Fs& fs, const Clock& clock,
                                                      const std::string& dir, SeqNo first);

class JournalWriter {
 public:
  // `active` is the open newest segment, named `active_first`, whose current contents are
  // durable (recovery has synced them).
  JournalWriter(Fs& fs, const Clock& clock, std::string dir, SeqNo active_first,
                std::unique_ptr<WritableFile> active);
  ~JournalWriter();
  JournalWriter(const JournalWriter&) = delete;
  JournalWriter& operator=(const JournalWriter&) = delete;

  // Writes the parts at the end of the active segment. On error part of them may be in the
  // file: call Repair() before anything else.
  Status Append(std::span<const std::string_view> parts);
  // fdatasync; on success everything appended is durable.
  Status Sync();
  // Treats everything appended as durable without syncing (CommitterOptions::sync = false).
  void MarkWritten() { durable_ = size(); }
  // Takes the active segment back to durable_size(), reopening it: after a failed fdatasync
  // the old descriptor's view of the page cache cannot be trusted.
  Status Repair();
  bool needs_repair() const { return needs_repair_; }
  // Syncs and closes the active segment and makes a new one named `first` the active one.
  // On failure the old segment stays active (and nothing was lost).
  // REQUIRES: !needs_repair()
  Status Rotate(SeqNo first);
  Status Close();

  uint64_t size() const;
  uint64_t durable_size() const { return durable_; }
  SeqNo active_first() const { return active_first_; }
  const std::string& active_path() const { return path_; }

 private:
  Fs& fs_;
  const Clock& clock_;
  const std::string dir_;
  SeqNo active_first_;
  std::string path_;
  std::unique_ptr<WritableFile> file_;  // null after a failed reopen in Repair()
  uint64_t durable_;
  bool needs_repair_ = false;
};

}  // namespace kiroku::store

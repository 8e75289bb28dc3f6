// Reading the head store (DATA/heads/) without the writer: every signed tree head in order,
// with damage reported rather than fatal, in the manner of the journal reader.
//
// The reader is what `kiroku verify` and head export use; HeadStore uses ParseHeadFile for its
// own crash recovery. A file's damaged tail (a torn write, or bytes flipped on disk) ends that
// file: heads are small and chained, so there is nothing to resynchronise onto that the hash
// chain would accept anyway.
//
//   HeadScanStats stats;
//   Status s = ForEachHead(fs, "data/heads", [&](const TreeHead& h) { ...; return Status::Ok(); },
//                          &stats);
//   for (const std::string& p : stats.problems) std::cerr << p << "\n";
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/fs.h"
#include "common/status.h"
#include "integrity/signing/internal/head_file.h"
#include "integrity/signing/tree_head.h"

namespace kiroku::integrity::signing {

struct ParsedHeadFile {
  std::optional<internal::EpochRecord> epoch;  // nullopt if the file has no valid epoch record
  std::vector<TreeHead> heads;
  size_t valid_end = 0;  // bytes up to the end of the last valid frame
  std::string problem;   // why parsing stopped before the end, empty if it did not
};
// Parses one head file's bytes; `expected` is the epoch its name says.
ParsedHeadFile ParseHeadFile(std::string_view bytes, Epoch expected);

struct HeadScanStats {
  uint64_t heads = 0;
  uint64_t files = 0;
  uint64_t bytes_skipped = 0;
  std::vector<std::string> problems;  // "<file>: offset <n>: <what>; skipped <k> bytes"
};

// Calls fn for every head in epoch order and, within a file, in append order. Stops at the
// first non-ok Status fn returns and returns it. A missing directory holds no heads.
Status ForEachHead(Fs& fs, const std::string& dir, const std::function<Status(const TreeHead&)>& fn,
                   HeadScanStats* stats = nullptr);

// Head file epochs present in `dir`, sorted.
StatusOr<std::vector<Epoch>> ListHeadFiles(Fs& fs, const std::string& dir);

}  // namespace kiroku::integrity::signing

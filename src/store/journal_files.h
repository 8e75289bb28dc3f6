// Names of the files in the journal directory, and listing its segments in sequence order.
//
//   00000000000000000001.journal      a segment; the name is the first seq it may contain
//   cut-00000000000000000001-4096.bin bytes recovery cut from that segment at that offset
//
//   auto segs = ListSegments(fs, dir);   // oldest first
//   std::string path = SegmentPath(dir, SeqNo{1});
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/fs.h"
#include "common/record.h"
#include "common/status.h"

namespace kiroku::store {

// "00000000000000000042.journal" for seq 42.
std::string SegmentFileName(SeqNo first);
std::string SegmentPath(const std::string& dir, SeqNo first);
// The first seq of a segment file name; nullopt for any other name (cut files, temporaries).
std::optional<SeqNo> ParseSegmentFileName(std::string_view name);
// "cut-<segment stem>-<offset>.bin".
std::string CutFileName(SeqNo segment_first, uint64_t offset);

struct SegmentInfo {
  SeqNo first;
  std::string path;
};
// The segments in `dir`, ordered by first seq.
StatusOr<std::vector<SegmentInfo>> ListSegments(Fs& fs, const std::string& dir);

}  // namespace kiroku::store

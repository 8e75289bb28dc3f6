// Names of sealed segment files in DATA/segments/.
//
//   00000000000000000001-00000000000000163840.seg   records 1..163840, sealed
//   sealing-00000000000000000001.tmp                 being written (never trusted; removed at
//                                                    start-up)
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/fs.h"
#include "common/record.h"
#include "common/status.h"

namespace kiroku::segment {

inline constexpr char kSegmentsDirName[] = "segments";  // DATA/segments
inline constexpr char kSealedSuffix[] = ".seg";
inline constexpr char kTempSuffix[] = ".tmp";

std::string SealedFileName(SeqNo first, SeqNo last);
// "sealing-<first, 20 digits>.tmp": where SegmentWriter writes until Finish().
std::string SealingTempName(SeqNo first);
// True for any "sealing-*.tmp" name (start-up removes them).
bool IsSealingTempName(std::string_view name);
struct SealedRange {
  SeqNo first;
  SeqNo last;
};
// nullopt for any other name (temporaries included).
std::optional<SealedRange> ParseSealedFileName(std::string_view name);

struct SealedFileInfo {
  SeqNo first;
  SeqNo last;
  std::string path;
};
// The sealed segments in `dir` (DATA/segments), ordered by first seq. A missing directory is an
// empty list.
StatusOr<std::vector<SealedFileInfo>> ListSealed(Fs& fs, const std::string& dir);

}  // namespace kiroku::segment

#include "store/journal_files.h"

#include <algorithm>
#include <charconv>

#include "store/journal_format.h"

namespace kiroku::store {
namespace {

std::string Stem(SeqNo first) {
  std::string digits = std::to_string(first.value);
  return std::string(journal::kSegmentNameDigits - std::min(digits.size(), size_t{20}), '0') +
         digits;
}

}  // namespace

std::string SegmentFileName(SeqNo first) { return Stem(first) + journal::kSegmentSuffix; }

std::string SegmentPath(const std::string& dir, SeqNo first) {
  return JoinPath(dir, SegmentFileName(first));
}

std::optional<SeqNo> ParseSegmentFileName(std::string_view name) {
  constexpr std::string_view suffix = journal::kSegmentSuffix;
  if (name.size() != journal::kSegmentNameDigits + suffix.size()) return std::nullopt;
  if (name.substr(journal::kSegmentNameDigits) != suffix) return std::nullopt;
  std::string_view digits = name.substr(0, journal::kSegmentNameDigits);
  if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  uint64_t v = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (ec != std::errc() || ptr != digits.data() + digits.size()) return std::nullopt;
  return SeqNo{v};
}

std::string CutFileName(SeqNo segment_first, uint64_t offset) {
  return "cut-" + Stem(segment_first) + "-" + std::to_string(offset) + ".bin";
}

StatusOr<std::vector<SegmentInfo>> ListSegments(Fs& fs, const std::string& dir) {
  auto names = fs.ListDir(dir);
  if (!names.ok()) return names.status();
  std::vector<SegmentInfo> segs;
  for (const std::string& name : *names) {
    if (auto first = ParseSegmentFileName(name)) segs.push_back({*first, JoinPath(dir, name)});
  }
  std::sort(segs.begin(), segs.end(),
            [](const SegmentInfo& a, const SegmentInfo& b) { return a.first < b.first; });
  return segs;
}

}  // namespace kiroku::store

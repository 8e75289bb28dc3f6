#include "segment/segment_files.h"

#include <algorithm>
#include <cstdio>

namespace kiroku::segment {
namespace {

constexpr size_t kDigits = 20;

std::string Padded(uint64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%020llu", static_cast<unsigned long long>(v));
  return buf;
}

std::optional<uint64_t> ParseDigits(std::string_view s) {
  if (s.size() != kDigits) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    uint64_t d = static_cast<uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) return std::nullopt;
    v = v * 10 + d;
  }
  return v;
}

}  // namespace

std::string SealedFileName(SeqNo first, SeqNo last) {
  return Padded(first.value) + "-" + Padded(last.value) + kSealedSuffix;
}

std::string SealingTempName(SeqNo first) { return "sealing-" + Padded(first.value) + kTempSuffix; }

bool IsSealingTempName(std::string_view name) {
  constexpr std::string_view prefix = "sealing-";
  constexpr std::string_view suffix = kTempSuffix;
  return name.size() >= prefix.size() + suffix.size() && name.substr(0, prefix.size()) == prefix &&
         name.substr(name.size() - suffix.size()) == suffix;
}

std::optional<SealedRange> ParseSealedFileName(std::string_view name) {
  constexpr std::string_view suffix = kSealedSuffix;
  if (name.size() != 2 * kDigits + 1 + suffix.size()) return std::nullopt;
  if (name.substr(2 * kDigits + 1) != suffix || name[kDigits] != '-') return std::nullopt;
  auto first = ParseDigits(name.substr(0, kDigits));
  auto last = ParseDigits(name.substr(kDigits + 1, kDigits));
  if (!first || !last || *first == 0 || *last < *first) return std::nullopt;
  return SealedRange{SeqNo{*first}, SeqNo{*last}};
}

StatusOr<std::vector<SealedFileInfo>> ListSealed(Fs& fs, const std::string& dir) {
  auto names = fs.ListDir(dir);
  if (!names.ok()) {
    if (names.status().code() == Status::Code::kNotFound) return std::vector<SealedFileInfo>{};
    return names.status();
  }
  std::vector<SealedFileInfo> out;
  for (const std::string& name : *names) {
    auto range = ParseSealedFileName(name);
    if (!range) continue;
    out.push_back(SealedFileInfo{range->first, range->last, JoinPath(dir, name)});
  }
  std::sort(out.begin(), out.end(), [](const SealedFileInfo& a, const SealedFileInfo& b) {
    return a.first != b.first ? a.first < b.first : a.last < b.last;
  });
  return out;
}

}  // namespace kiroku::segment

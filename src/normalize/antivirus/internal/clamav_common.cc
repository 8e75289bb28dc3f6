#include "normalize/antivirus/internal/clamav_common.h"

namespace kiroku::normalize::internal {
namespace {
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
}  // namespace

void AddClamavBase(std::string_view normalizer, Event* out) {
  out->Add(Field::kKirokuNormalizer, normalizer);
  out->Add(Field::kObserverType, "antivirus");
  out->Add(Field::kObserverVendor, "Cisco");
  out->Add(Field::kObserverProduct, "ClamAV");
  out->Add(Field::kEventCategory, "malware");
}

bool SkipLogTime(std::string_view* s) {
  // "Thu Nov 26 14:37:42 2026 -> " is 28 bytes.
  std::string_view t = *s;
  if (t.size() < 28) return false;
  for (size_t i : {0, 1, 2, 4, 5, 6}) {
    if (!IsAlpha(t[i])) return false;
  }
  if (t[3] != ' ' || t[7] != ' ' || !(t[8] == ' ' || IsDigit(t[8])) || !IsDigit(t[9]) ||
      t[10] != ' ' || t[13] != ':' || t[16] != ':' || t[19] != ' ') {
    return false;
  }
  for (size_t i : {11, 12, 14, 15, 17, 18, 20, 21, 22, 23}) {
    if (!IsDigit(t[i])) return false;
  }
  if (t.substr(24, 4) != " -> ") return false;
  s->remove_prefix(28);
  return true;
}

std::string_view StripLevel(std::string_view s, bool* error, bool* warning) {
  *error = false;
  *warning = false;
  for (std::string_view p : {"ERROR: ", "LibClamAV Error: ", "!"}) {
    if (s.substr(0, p.size()) == p) {
      *error = true;
      return s.substr(p.size());
    }
  }
  for (std::string_view p : {"WARNING: ", "LibClamAV Warning: ", "^"}) {
    if (s.substr(0, p.size()) == p) {
      *warning = true;
      return s.substr(p.size());
    }
  }
  return s;
}

}  // namespace kiroku::normalize::internal

#include "normalize/timesync/internal/ntp_common.h"

namespace kiroku::normalize::internal {

void AddNtpBase(std::string_view normalizer, std::string_view product, Event* out) {
  out->Add(Field::kKirokuNormalizer, normalizer);
  out->Add(Field::kObserverType, "ntp");
  out->Add(Field::kObserverProduct, product);
  out->Add(Field::kEventCategory, "host");
}

void AddNtpState(std::string_view state, Event* out) {
  out->Add(Field::kEventAction, "time-sync");
  out->Add(Field::kNtpState, state);
  if (state == "sync") out->Add(Field::kEventOutcome, "success");
  if (state == "lost") out->Add(Field::kEventOutcome, "failure");
}

std::optional<int64_t> SecondsToMicros(std::string_view s) {
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  size_t dot = s.find('.');
  std::string_view whole = s.substr(0, dot);
  std::string_view frac = dot == std::string_view::npos ? std::string_view() : s.substr(dot + 1);
  // 12 digits of seconds (31,000 years) keep the microseconds within the 18 digits that an
  // integer field holds; anything longer is not a clock offset.
  if (whole.empty() || whole.size() > 12) return std::nullopt;
  if (dot != std::string_view::npos && frac.empty()) return std::nullopt;
  int64_t us = 0;
  for (char c : whole) {
    if (c < '0' || c > '9') return std::nullopt;
    us = us * 10 + (c - '0');
  }
  us *= 1'000'000;
  int64_t scale = 100'000;
  bool round_up = false;
  for (size_t i = 0; i < frac.size(); ++i) {
    char c = frac[i];
    if (c < '0' || c > '9') return std::nullopt;
    if (i < 6) {
      us += (c - '0') * scale;
      scale /= 10;
    } else if (i == 6) {
      round_up = c >= '5';
    }
  }
  if (round_up) ++us;
  return negative ? -us : us;
}

bool LooksLikeSource(std::string_view s) {
  if (s.empty() || s.size() > 255) return false;
  for (char c : s) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == ',' || c == ';' || c == '"') return false;
  }
  return true;
}

}  // namespace kiroku::normalize::internal

#include "normalize/timesync/chrony.h"

#include "normalize/text.h"
#include "normalize/timesync/internal/ntp_common.h"

namespace kiroku::normalize {
namespace {

using internal::AddNtpState;
using internal::LooksLikeSource;
using internal::SecondsToMicros;

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

std::string_view FirstToken(std::string_view s) { return s.substr(0, s.find(' ')); }

// "NUMBER seconds..." at the start of s: the offset in microseconds.
std::optional<int64_t> OffsetBefore(std::string_view s, std::string_view unit) {
  size_t sp = s.find(' ');
  if (sp == std::string_view::npos || s.substr(sp + 1, unit.size()) != unit) return std::nullopt;
  return SecondsToMicros(s.substr(0, sp));
}

void AddServer(std::string_view token, Event* out) {
  if (LooksLikeSource(token)) out->Add(Field::kServerAddress, token);
}

}  // namespace

bool NormalizeChrony(const Input& in, const Config& /*config*/, Event* out) {
  if (in.app != "chronyd") return false;
  internal::AddNtpBase("chrony", "chrony", out);
  std::string_view msg = in.message;
  if (StartsWith(msg, "Selected source ")) {
    std::string_view source = FirstToken(msg.substr(16));
    if (!LooksLikeSource(source)) return true;
    AddNtpState("sync", out);
    AddServer(source, out);
  } else if (StartsWith(msg, "Can't synchronise: ") || StartsWith(msg, "Can't synchronize: ")) {
    AddNtpState("lost", out);
    out->Add(Field::kEventReason, msg.substr(19));
  } else if (StartsWith(msg, "No suitable source for synchronisation")) {
    AddNtpState("lost", out);
  } else if (StartsWith(msg, "System clock was stepped by ")) {
    auto us = OffsetBefore(msg.substr(28), "seconds");
    if (!us) return true;
    AddNtpState("step", out);
    out->AddInt(Field::kNtpOffsetUs, *us);
  } else if (StartsWith(msg, "System clock wrong by ")) {
    auto us = OffsetBefore(msg.substr(22), "seconds");
    if (!us) return true;
    AddNtpState("status", out);
    out->AddInt(Field::kNtpOffsetUs, *us);
  } else if (StartsWith(msg, "Source ")) {
    // "Source 192.0.2.1 replaced with 192.0.2.9 (ntp.example.com)", "Source X online|offline"
    std::string_view rest = msg.substr(7);
    std::string_view old_source = FirstToken(rest);
    std::string_view after = rest.substr(std::min(rest.size(), old_source.size() + 1));
    if (StartsWith(after, "replaced with ")) {
      std::string_view source = FirstToken(after.substr(14));
      if (!LooksLikeSource(source)) return true;
      AddNtpState("status", out);
      AddServer(source, out);
    } else if (after == "online" || after == "offline") {
      if (!LooksLikeSource(old_source)) return true;
      AddNtpState("status", out);
      AddServer(old_source, out);
    }
  } else if (msg == "Forward time jump detected!" || msg == "Backward time jump detected!") {
    // Someone else moved the clock; chronyd only noticed.
    AddNtpState("step", out);
    out->Add(Field::kEventReason, msg);
  } else if ((StartsWith(msg, "chronyd version ") &&
              msg.find(" starting") != std::string_view::npos) ||
             StartsWith(msg, "chronyd exiting") ||
             // The TAI-UTC difference, not a clock error: no offset_us.
             StartsWith(msg, "System clock TAI offset set to ")) {
    AddNtpState("status", out);
  }
  return true;
}

}  // namespace kiroku::normalize

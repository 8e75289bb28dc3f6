#include "normalize/timesync/ntpd.h"

#include "normalize/text.h"
#include "normalize/timesync/internal/ntp_common.h"

namespace kiroku::normalize {
namespace {

using internal::AddNtpState;
using internal::LooksLikeSource;
using internal::SecondsToMicros;

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

bool IsHex(std::string_view s, size_t n) {
  if (s.size() != n) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

// Offsets written "+0.123456 s", "0.234567s", "-0.5": seconds with an optional unit.
std::optional<int64_t> OffsetSeconds(std::string_view s) {
  s = Trim(s);
  if (s.size() > 2 && s.substr(s.size() - 2) == " s") s.remove_suffix(2);
  if (!s.empty() && s.back() == 's') s.remove_suffix(1);
  return SecondsToMicros(s);
}

// "ADDR STATUS(4 hex) COUNT(2 hex) EVENT [detail]", ntpd's event report (ntp_decode(5)).
bool ParseEventLine(std::string_view msg, Event* out) {
  std::string_view parts[4];
  std::string_view rest = msg;
  for (auto& p : parts) {
    size_t sp = rest.find(' ');
    p = rest.substr(0, sp);
    rest = sp == std::string_view::npos ? std::string_view() : rest.substr(sp + 1);
  }
  if (!IsIpText(parts[0]) || !IsHex(parts[1], 4) || !IsHex(parts[2], 2) || parts[3].empty()) {
    return false;
  }
  std::string_view addr = parts[0];
  std::string_view event = parts[3];
  bool system = addr == "0.0.0.0" || addr == "::";
  if (event == "no_sys_peer") {
    AddNtpState("lost", out);
  } else if (event == "sys_peer" && !system) {
    AddNtpState("sync", out);
    out->Add(Field::kServerAddress, addr);
  } else if (event == "clock_step") {
    AddNtpState("step", out);
    if (auto us = OffsetSeconds(rest)) out->AddInt(Field::kNtpOffsetUs, *us);
  } else if (event == "clock_sync") {
    AddNtpState("sync", out);
  } else {
    // freq_mode, freq_set, spike_detect, restart, mobilize, reachable, unreachable, ...
    AddNtpState("status", out);
    if (!system) out->Add(Field::kServerAddress, addr);
  }
  out->Add(Field::kEventReason, event);
  return true;
}

}  // namespace

bool NormalizeNtpd(const Input& in, const Config& /*config*/, Event* out) {
  if (in.app != "ntpd") return false;
  std::string_view msg = in.message;
  // NTPsec tags its lines with a subsystem ("CLOCK: ", "SYNC: ", "PROTO: ", "INIT: ", ...).
  bool ntpsec = false;
  for (std::string_view tag : {"CLOCK: ", "SYNC: ", "PROTO: ", "INIT: ", "IO: ", "NTSc: ", "NTSs: ",
                               "AUTH: ", "CONFIG: ", "LOG: ", "ERR: ", "REFCLOCK: "}) {
    if (StartsWith(msg, tag)) {
      ntpsec = true;
      msg.remove_prefix(tag.size());
      break;
    }
  }
  internal::AddNtpBase(ntpsec ? "ntpsec" : "ntpd", ntpsec ? "ntpsec" : "ntpd", out);
  if (StartsWith(msg, "synchronized to ")) {
    // "synchronized to 192.0.2.1, stratum 2"
    auto parts = Cut(msg.substr(16), ", stratum ");
    if (!parts || !LooksLikeSource(parts->before)) return true;
    AddNtpState("sync", out);
    out->Add(Field::kServerAddress, parts->before);
    std::string_view stratum = parts->after.substr(0, parts->after.find(' '));
    if (IsIntegerText(stratum) && stratum[0] != '-') out->Add(Field::kNtpStratum, stratum);
  } else if (StartsWith(msg, "time reset ") || StartsWith(msg, "time stepped by ")) {
    auto us = OffsetSeconds(msg.substr(StartsWith(msg, "time reset ") ? 11 : 16));
    if (!us) return true;
    AddNtpState("step", out);
    out->AddInt(Field::kNtpOffsetUs, *us);
  } else if (StartsWith(msg, "time changed from ")) {
    AddNtpState("step", out);
  } else if (StartsWith(msg, "kernel reports TIME_ERROR: ")) {
    AddNtpState("lost", out);
    out->Add(Field::kEventReason, msg.substr(27));
  } else if (StartsWith(msg, "no servers can be used") || StartsWith(msg, "no servers reachable")) {
    AddNtpState("lost", out);
    out->Add(Field::kEventReason, msg);
  } else if (StartsWith(msg, "adjusting local clock by ")) {
    auto us = OffsetSeconds(msg.substr(25));
    if (!us) return true;
    AddNtpState("status", out);
    out->AddInt(Field::kNtpOffsetUs, *us);
  } else if ((StartsWith(msg, "Found ") && msg.find(" servers") != std::string_view::npos) ||
             (StartsWith(msg, "ntpd ") && (msg.find(": Starting") != std::string_view::npos ||
                                           msg.find(" starting") != std::string_view::npos))) {
    // NTPsec "SYNC: Found 4 servers, suggest minsane at least 3"; ntpd starting.
    AddNtpState("status", out);
  } else {
    ParseEventLine(msg, out);
  }
  return true;
}

}  // namespace kiroku::normalize

#include "normalize/network/panos.h"

#include <array>

#include "normalize/network/internal/flow.h"
#include "normalize/text.h"

namespace kiroku::normalize {
namespace {

// Positions in the default layout, shared by TRAFFIC and THREAT up to kAction.
enum Pos : size_t {
  kType = 3,
  kSubtype = 4,
  kSrc = 7,
  kDst = 8,
  kNatSrc = 9,
  kRule = 11,
  kSrcUser = 12,
  kSessionId = 22,
  kSport = 24,
  kDport = 25,
  kProto = 29,
  kAction = 30,
  // TRAFFIC
  kBytesSent = 32,
  kBytesReceived = 33,
  kSessionEndReason = 46,
  // THREAT
  kMisc = 31,      // URL or file name
  kThreatId = 32,  // "Eicar Test File(39040)"
  kCount = 47,
};

bool IsAny(std::string_view ip) { return ip == "0.0.0.0" || ip == "::"; }

}  // namespace

bool NormalizePanos(const Input& in, const Config& config, Event* out) {
  std::string_view m = in.message;
  // Cheap test first: ",TRAFFIC," or ",THREAT," early in the line.
  std::string_view head = m.substr(0, 96);
  bool traffic = head.find(",TRAFFIC,") != std::string_view::npos;
  if (!traffic && head.find(",THREAT,") == std::string_view::npos) return false;

  std::array<std::string_view, kCount> f{};
  size_t n = 0;
  FieldSplitter split(m, ',');
  for (std::string_view v; n < f.size() && split.Next(&v);) f[n++] = v;
  if (n <= kAction) return false;
  if (f[kType] != (traffic ? "TRAFFIC" : "THREAT")) return false;
  if (!IsIpText(f[kSrc]) || !IsIpText(f[kDst]) || !IsIntegerText(f[kSessionId])) return false;

  internal::SetObserver(out, "panos", "Palo Alto Networks", "PAN-OS");
  std::string_view sub = f[kSubtype];
  std::string_view action = f[kAction];
  // Traffic lines and threat subtypes without their own category are both just "network".
  if (traffic) {  // NOLINT(bugprone-branch-clone)
    out->Add(Field::kEventCategory, "network");
  } else if (sub == "virus" || sub == "wildfire-virus") {
    out->Add(Field::kEventCategory, "malware");
    out->Add(Field::kEventCategory, "network");
    // "Eicar Test File(39040)": the name without the threat id.
    std::string_view name = f[kThreatId];
    if (size_t p = name.rfind('('); p != std::string_view::npos && name.back() == ')') {
      name = name.substr(0, p);
    }
    out->Add(Field::kThreatSoftwareName, name);
    out->Add(Field::kFileName, f[kMisc]);
  } else if (sub == "url") {
    out->Add(Field::kEventCategory, "web");
    out->Add(Field::kEventCategory, "network");
    // PAN-OS writes the URL without its scheme: "www.example.com/path".
    std::string_view url = f[kMisc];
    if (url.find("://") != std::string_view::npos) {
      out->Add(Field::kUrlFull, url);
    } else if (size_t slash = url.find('/'); slash != std::string_view::npos) {
      out->Add(Field::kUrlDomain, url.substr(0, slash));
      out->Add(Field::kUrlPath, url.substr(slash));
    } else {
      out->Add(Field::kUrlDomain, url);
    }
  } else if (sub == "vulnerability" || sub == "spyware") {
    out->Add(Field::kEventCategory, "intrusion_detection");
    out->Add(Field::kEventCategory, "network");
  } else {
    out->Add(Field::kEventCategory, "network");
  }

  internal::AddAction(out, action);
  if (action == "allow") {
    out->Add(Field::kEventOutcome, "success");
  } else if (action == "deny" || action.starts_with("drop") || action.starts_with("reset") ||
             action.starts_with("block") || action == "sinkhole") {
    out->Add(Field::kEventOutcome, "failure");
  }
  internal::AddEndpoint(out, true, f[kSrc], f[kSport]);
  internal::AddEndpoint(out, false, f[kDst], f[kDport]);
  internal::AddTransport(out, f[kProto]);
  if (IsIpText(f[kNatSrc]) && !IsAny(f[kNatSrc]) && f[kNatSrc] != f[kSrc]) {
    out->Add(Field::kSourceNatIp, f[kNatSrc]);
  }
  out->Add(Field::kRuleName, f[kRule]);
  internal::AddUser(out, f[kSrcUser]);
  if (traffic) {
    if (IsIntegerText(f[kBytesSent])) out->Add(Field::kSourceBytes, f[kBytesSent]);
    if (IsIntegerText(f[kBytesReceived])) out->Add(Field::kDestinationBytes, f[kBytesReceived]);
    if (sub == "end" && n > kSessionEndReason) out->Add(Field::kEventReason, f[kSessionEndReason]);
  }
  out->Add(Field::kNetworkDirection, config.Direction(f[kSrc], f[kDst]));
  return true;
}

}  // namespace kiroku::normalize

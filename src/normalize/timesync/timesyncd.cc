#include "normalize/timesync/timesyncd.h"

#include "normalize/text.h"
#include "normalize/timesync/internal/ntp_common.h"

namespace kiroku::normalize {
namespace {

using internal::AddNtpState;

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// "192.0.2.1:123 (name)." or "[2001:db8::1]:123 (name).": the address without the port.
std::string_view ServerAddress(std::string_view s) {
  s = s.substr(0, s.find(' '));
  if (!s.empty() && s.back() == '.') s.remove_suffix(1);
  std::string_view host;
  if (StartsWith(s, "[")) {
    size_t close = s.find(']');
    if (close == std::string_view::npos) return {};
    host = s.substr(1, close - 1);
    std::string_view port = s.substr(close + 1);
    if (!port.empty() && (port[0] != ':' || !IsIntegerText(port.substr(1)))) return {};
  } else {
    size_t colon = s.rfind(':');
    host = s.substr(0, colon);
    if (colon != std::string_view::npos && !IsIntegerText(s.substr(colon + 1))) return {};
  }
  return IsIpText(host) ? host : std::string_view();
}

}  // namespace

bool NormalizeTimesyncd(const Input& in, const Config& /*config*/, Event* out) {
  if (in.app != "systemd-timesyncd") return false;
  internal::AddNtpBase("timesyncd", "systemd-timesyncd", out);
  std::string_view msg = in.message;
  struct Form {
    std::string_view prefix;
    std::string_view state;
  };
  static constexpr Form kForms[] = {
      {"Synchronized to time server ", "sync"},
      {"Initial synchronization to time server ", "sync"},
      {"Contacted time server ", "status"},
      {"Timed out waiting for reply from ", "status"},
  };
  for (const Form& f : kForms) {
    if (!StartsWith(msg, f.prefix)) continue;
    std::string_view server = ServerAddress(msg.substr(f.prefix.size()));
    if (server.empty()) return true;
    AddNtpState(f.state, out);
    out->Add(Field::kServerAddress, server);
    return true;
  }
  if (StartsWith(msg, "Network configuration changed, trying to establish connection")) {
    AddNtpState("status", out);
  }
  return true;
}

}  // namespace kiroku::normalize

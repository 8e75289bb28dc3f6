// Snare's "MSWinEventLog" record, after an optional syslog header or the agent's host name:
//
//   MSWinEventLog TAB criticality TAB log name TAB snare counter TAB submit time TAB event id
//   TAB source name TAB user name TAB SID type TAB event log type TAB computer name
//   TAB category TAB data string TAB expanded string (the description) [TAB event log counter]
//   [TAB optional fields...]
//
// The description is the rendered message (internal/snare_text.h). Some senders leave the data
// string empty and put the description there instead of in the expanded string.

#include <array>

#include "normalize/text.h"
#include "normalize/windows/internal/snare_text.h"
#include "normalize/windows/internal/win_event.h"
#include "normalize/windows/windows.h"

namespace kiroku::normalize {
namespace {

constexpr std::string_view kMarker = "MSWinEventLog\t";
// The marker follows a syslog header or the agent's host name; never further than this.
constexpr size_t kMarkerWindow = 300;

enum SnareField : size_t {
  kCriticality,
  kLogName,
  kCounter,
  kSubmitTime,
  kEventId,
  kSourceName,
  kUserName,
  kSidType,
  kEventLogType,
  kComputerName,
  kCategory,
  kDataString,
  kExpandedString,
  kMinFields,
};

bool AllDigits(std::string_view s) {
  if (s.empty() || s.size() > 10) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

bool NormalizeSnare(const Input& in, const Config& /*config*/, Event* out) {
  const std::string_view m = in.message;
  const size_t at = m.substr(0, kMarkerWindow).find(kMarker);
  if (at == std::string_view::npos) return false;
  std::string_view rest = m.substr(at + kMarker.size());
  std::array<std::string_view, kMinFields> f;
  size_t n = 0;
  while (n < kMinFields) {
    size_t tab = rest.find('\t');
    if (tab == std::string_view::npos) {
      f[n++] = rest;
      break;
    }
    f[n++] = rest.substr(0, tab);
    rest.remove_prefix(tab + 1);
  }
  if (n < kMinFields) return false;
  f[kCriticality] = Trim(f[kCriticality]);
  f[kEventId] = Trim(f[kEventId]);
  if (!AllDigits(f[kCriticality]) || !AllDigits(f[kEventId])) return false;

  internal::WinEvent w;
  w.format = "snare";
  w.id = *ParseInt(f[kEventId]);
  w.channel = Trim(f[kLogName]);
  w.provider = Trim(f[kSourceName]);
  const std::string_view type = Trim(f[kEventLogType]);
  if (EqualsIgnoreCase(type, "Success Audit") || EqualsIgnoreCase(type, "AUDIT_SUCCESS")) {
    w.audit = "success";
  } else if (EqualsIgnoreCase(type, "Failure Audit") || EqualsIgnoreCase(type, "AUDIT_FAILURE")) {
    w.audit = "failure";
  }
  std::string_view description = Trim(f[kExpandedString]);
  if (description.empty()) description = Trim(f[kDataString]);
  w.message = description;
  internal::ParseSnareDescription(description, &w);
  internal::MapWinEvent(w, out);
  return true;
}

}  // namespace kiroku::normalize

// WinEvent: one Windows event log record as the forwarders deliver it (Snare tab-delimited text
// or NXLog JSON), cut down to what the mapping needs: the event id, channel, provider, audit
// result, rendered message and the named EventData values. Both forwarders fill the same keys
// (NXLog's EventData names: "SubjectUserName", "TargetUserName", "ObjectDN", "Threat Name", ...)
// so that one table maps event ids to fields (MapWinEvent).
//
//   WinEvent w;
//   w.format = "nxlog";
//   w.id = 4720;
//   w.Set("SubjectUserName", "admin");
//   MapWinEvent(w, &event);
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "normalize/event.h"

namespace kiroku::normalize::internal {

struct WinEvent {
  struct Value {
    std::string_view key;
    std::string_view value;
  };

  std::string_view format;    // kiroku.normalizer: "snare" or "nxlog"
  int64_t id = -1;            // event id
  std::string_view channel;   // "Security", "System", ".../Operational"
  std::string_view provider;  // "Microsoft-Windows-Security-Auditing", ...
  std::string_view audit;     // "success", "failure" or "" (not an audit event)
  std::string_view message;   // the rendered description
  std::array<Value, 64> values{};
  size_t count = 0;

  // Keeps the first 64 values; later ones are dropped (no EventData we map is that far down).
  void Set(std::string_view key, std::string_view value) {
    if (count < values.size()) values[count++] = Value{key, value};
  }
  // The first value of `key` that is neither empty nor "-", or "".
  std::string_view Get(std::string_view key) const;
};

// Adds the fields of `w` to `out`: the common ones (normalizer, observer, event.code) for every
// event, and the per-id ones for the account management, directory service, file share,
// Defender and W32Time events in docs/schema/windows.md.
void MapWinEvent(const WinEvent& w, Event* out);

// The time source named by a W32Time message: "time.windows.com,0x9 (ntp.m|0x9|...)" gives
// "time.windows.com". Exposed for tests.
std::string_view W32TimeSource(std::string_view text);

}  // namespace kiroku::normalize::internal

// What every format parser needs besides the bytes: the inputs to the device-time rules.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/record.h"
#include "syslog/zone_rules.h"

namespace kiroku::syslog::internal {

struct ParseContext {
  std::string_view s;  // the message without trailing '\n', '\r', '\0'
  int64_t receive_time_ns;
  const ZoneRules& zones;
  const PeerAddress& peer;

  // The zone for a timestamp without offset; only asked once the host name is known.
  Zone ZoneFor(Span host) const { return zones.ZoneFor(peer, s.substr(host.off, host.len)); }
};

}  // namespace kiroku::syslog::internal

// The hot-path syslog header parser: RFC 5424, RFC 3164/BSD with its real-world variants, and
// the Cisco IOS layout. It never allocates and never copies: the result is Spans into `raw`.
// A header it cannot make sense of yields format kUnknown, parse_error = true and msg spanning
// the whole input, so nothing is ever dropped (docs/syslog-parsing.md lists every variant).
//
//   ZoneRules zones;                       // per-source zones; default: the server's zone
//   SyslogHeader h = ParseSyslog(raw, receive_time_ns, zones, peer);
#pragma once

#include <cstdint>
#include <string_view>

#include "common/record.h"

namespace date {
class time_zone;
}

namespace kiroku::syslog {

// The zone used to read timestamps that carry none ("Mmm dd hh:mm:ss"). nullptr means UTC.
using Zone = const date::time_zone*;
class ZoneRules;

// Parses one message. `receive_time_ns` (UTC) is used to infer a missing year: the year is the
// one that puts the device time closest to the receive time, allowing the device to be at most
// about a month ahead. A timestamp without zone is read in zones.ZoneFor(peer, host), host being
// the HOSTNAME the header names (so rules by host name work).
SyslogHeader ParseSyslog(std::string_view raw, int64_t receive_time_ns, const ZoneRules& zones,
                         const PeerAddress& peer);

}  // namespace kiroku::syslog

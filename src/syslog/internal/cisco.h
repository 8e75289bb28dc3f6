// The Cisco IOS / NX-OS / ASA layout:
//
//   <PRI>[SEQ:] [HOST:] [*|.]TIMESTAMP[ TZ]: %FAC-SEV-MNEMONIC: text
//
//   <189>123: router1: *Mar  1 00:00:00.123 UTC: %LINK-3-UPDOWN: Interface Gi0/1, changed ...
//   <189>: 2026 Nov 26 14:30:00 UTC: %ETHPORT-5-IF_UP: Interface Ethernet1/5 is up   (NX-OS)
//   <166>Nov 26 2026 14:30:00: %ASA-6-302013: Built outbound TCP connection ...      (ASA)
//
// '*' says the device clock is not authoritative, '.' that it lost sync. The message starts at
// the '%' and APP stays empty: the mnemonic is the normaliser's business, not the header's.
//
// Lines with a Cisco-only start (SEQ, NX-OS's bare ':', an uptime stamp, a clock mark) are
// recognised by ParseCisco. IOS without SEQ and ASA look like BSD up to the end of the
// timestamp, so RFC 3164's parser asks CiscoTailFollows there and hands over.
#pragma once

#include <cstddef>

#include "common/record.h"
#include "syslog/internal/context.h"
#include "syslog/internal/timestamp.h"

namespace kiroku::syslog::internal {

enum class CiscoResult {
  kNotCisco,  // nothing written; try RFC 3164
  kOk,
  kMalformed,  // committed to this layout but broken; *h must be discarded
};

// REQUIRES: pos just past a valid PRI, and ctx.s[pos..] is not RFC 5424.
CiscoResult ParseCisco(const ParseContext& ctx, size_t pos, SyslogHeader* h);

// After a BSD timestamp at s[..pos): ':' at once, or " TZ: %" with an upper-case zone
// abbreviation. The stricter second form keeps a BSD TAG ("kernel: ...") from reading as a zone.
bool CiscoTailFollows(std::string_view s, size_t pos);

// "[ TZ]: MSG" from pos, the end of the timestamp `ts` (if `has_time`); sets format, msg and the
// device time. Returns false if something other than a space or ':' follows the timestamp.
bool ParseCiscoTail(const ParseContext& ctx, size_t pos, DeviceTimestamp ts, bool has_time,
                    SyslogHeader* h);

}  // namespace kiroku::syslog::internal

#include "syslog/parser.h"

#include <limits>

#include "syslog/internal/cisco.h"
#include "syslog/internal/context.h"
#include "syslog/internal/pri.h"
#include "syslog/internal/rfc3164.h"
#include "syslog/internal/rfc5424.h"
#include "syslog/internal/scan.h"
#include "syslog/zone_rules.h"

namespace kiroku::syslog {
namespace {

// Framing leftovers, not message: the raw bytes keep them, the msg Span does not.
std::string_view TrimTrailing(std::string_view s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == '\0')) {
    s.remove_suffix(1);
  }
  return s;
}

SyslogHeader ParseError(std::string_view s, int pri) {
  SyslogHeader h;
  h.parse_error = true;
  if (pri >= 0) {
    h.facility = static_cast<int8_t>(pri / 8);
    h.severity = static_cast<int8_t>(pri % 8);
  }
  h.msg = internal::MakeSpan(0, s.size());
  return h;
}

}  // namespace

SyslogHeader ParseSyslog(std::string_view raw, int64_t receive_time_ns, const ZoneRules& zones,
                         const PeerAddress& peer) {
  // Spans are 32-bit. Records are capped far below 4 GiB long before they get here; this only
  // keeps a hypothetical giant input from producing wrapped offsets.
  const std::string_view s = TrimTrailing(raw.substr(0, std::numeric_limits<uint32_t>::max()));
  size_t pos = 0;
  const int pri = internal::ParsePri(s, &pos);
  if (pri < 0) {
    return ParseError(s, pri);
  }

  const internal::ParseContext ctx{s, receive_time_ns, zones, peer};
  SyslogHeader h;
  bool ok = false;
  if (internal::At(s, pos, '1') && internal::At(s, pos + 1, ' ')) {
    ok = internal::ParseRfc5424(ctx, pos, &h);
  } else {
    switch (internal::ParseCisco(ctx, pos, &h)) {
      case internal::CiscoResult::kOk:
        ok = true;
        break;
      case internal::CiscoResult::kMalformed:
        ok = false;
        break;
      case internal::CiscoResult::kNotCisco:
        ok = internal::ParseRfc3164(ctx, pos, &h);
        break;
    }
  }
  if (!ok) {
    return ParseError(s, pri);
  }
  h.facility = static_cast<int8_t>(pri / 8);
  h.severity = static_cast<int8_t>(pri % 8);
  return h;
}

}  // namespace kiroku::syslog

// libFuzzer target for the hot-path syslog header parser.
//
// Checks what ParseSyslog promises for any bytes: no crash, no read out of bounds (ASan), no UB
// (UBSan), every Span inside the input, and a parse error leaving msg over the whole input
// minus trailing '\n', '\r', '\0'. Runs with a zone rule set that has DST, so the local-time
// path and its cache are exercised too.
//
//   scripts/build.sh fuzz && build-fuzz/fuzz/syslog_parser_fuzz -max_total_time=60 -max_len=4096

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/record.h"
#include "syslog/parser.h"
#include "syslog/zone_rules.h"

namespace {

using kiroku::PeerAddress;
using kiroku::Span;
using kiroku::SyslogFormat;
using kiroku::SyslogHeader;

// 2026-11-26T14:37:42Z
constexpr int64_t kReceiveTimeNs = 1'795'703'862'000'000'000;

void Check(bool ok) {
  if (!ok) {
    std::abort();
  }
}

const kiroku::syslog::ZoneRules& Rules() {
  static const kiroku::syslog::ZoneRules* rules = [] {
    auto* r = new kiroku::syslog::ZoneRules;
    Check(r->SetDefault("America/New_York").ok());
    Check(r->Add("host:router1", "Europe/Berlin").ok());
    Check(r->Add("192.0.2.0/24", "Australia/Lord_Howe").ok());
    return r;
  }();
  return *rules;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  PeerAddress peer;
  peer.family = 4;
  // Alternate between a peer that a rule matches and one that gets the default zone.
  peer.addr = size % 2 == 0 ? std::array<uint8_t, 16>{192, 0, 2, 1}
                            : std::array<uint8_t, 16>{198, 51, 100, 1};
  const SyslogHeader h = kiroku::syslog::ParseSyslog(raw, kReceiveTimeNs, Rules(), peer);
  // The per-thread zone cache must never change an answer.
  Check(kiroku::syslog::ParseSyslog(raw, kReceiveTimeNs, Rules(), peer).device_time_ns ==
        h.device_time_ns);

  size_t trimmed = size;
  while (trimmed > 0 &&
         (raw[trimmed - 1] == '\n' || raw[trimmed - 1] == '\r' || raw[trimmed - 1] == '\0')) {
    --trimmed;
  }
  for (const Span s : {h.host, h.app, h.procid, h.msgid, h.structured_data, h.msg}) {
    Check(uint64_t{s.off} + s.len <= trimmed);
    Check(s.len != 0 || s.off == 0);
  }
  Check(h.parse_error == (h.format == SyslogFormat::kUnknown));
  Check((h.facility < 0) == (h.severity < 0));
  Check(h.facility >= -1 && h.facility <= 23 && h.severity >= -1 && h.severity <= 7);
  if (h.parse_error) {
    Check(h.msg.off == 0 && h.msg.len == trimmed);
    Check(h.host.empty() && h.app.empty() && h.procid.empty() && h.msgid.empty() &&
          h.structured_data.empty() && !h.device_time_ns.has_value());
  } else {
    Check(h.facility >= 0);
  }
  if (h.format != SyslogFormat::kRfc5424) {
    Check(h.msgid.empty() && h.structured_data.empty());
  }
  if (h.device_time_zone_known) {
    Check(h.device_time_ns.has_value());
  }
  return 0;
}

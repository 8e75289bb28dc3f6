// Shared by the parser tests: one expectation per header field, so every test asserts all of
// them and a new field cannot slip by untested.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/record.h"
#include "syslog/internal/civil.h"
#include "syslog/parser.h"
#include "syslog/zone_rules.h"

// GCC before 14 warns about every member a designated initializer leaves to its default
// (GCC bug 96868), which is the whole point of Want{.host = "h"}.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#endif

namespace kiroku::syslog::testing {

constexpr int64_t UtcNs(int64_t y, int mo, int d, int64_t h, int64_t mi, int64_t s,
                        int64_t nanos = 0) {
  return ((internal::DaysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s) * 1'000'000'000) +
         nanos;
}

// When the logger/rsyslog samples were captured.
constexpr int64_t kReceive = UtcNs(2026, 11, 26, 14, 37, 42);

struct Want {
  SyslogFormat format = SyslogFormat::kUnknown;
  int facility = -1;
  int severity = -1;
  std::optional<int64_t> time;
  bool zone_known = false;
  std::string_view host;
  std::string_view app;
  std::string_view procid;
  std::string_view msgid;
  std::string_view sd;
  std::string_view msg;
};

inline ZoneRules UtcRules() {
  ZoneRules rules;
  EXPECT_TRUE(rules.SetDefault("UTC").ok());
  return rules;
}

inline SyslogHeader Parse(std::string_view raw, int64_t receive = kReceive) {
  static const ZoneRules rules = UtcRules();
  return ParseSyslog(raw, receive, rules, PeerAddress{});
}

inline std::string_view FieldOf(std::string_view raw, Span s) { return raw.substr(s.off, s.len); }

inline void ExpectHeader(std::string_view raw, const SyslogHeader& h, const Want& w) {
  SCOPED_TRACE(std::string(raw));
  EXPECT_EQ(h.format, w.format);
  EXPECT_EQ(h.parse_error, w.format == SyslogFormat::kUnknown);
  EXPECT_EQ(h.facility, w.facility);
  EXPECT_EQ(h.severity, w.severity);
  EXPECT_EQ(h.device_time_ns, w.time);
  EXPECT_EQ(h.device_time_zone_known, w.zone_known);
  EXPECT_EQ(FieldOf(raw, h.host), w.host);
  EXPECT_EQ(FieldOf(raw, h.app), w.app);
  EXPECT_EQ(FieldOf(raw, h.procid), w.procid);
  EXPECT_EQ(FieldOf(raw, h.msgid), w.msgid);
  EXPECT_EQ(FieldOf(raw, h.structured_data), w.sd);
  EXPECT_EQ(FieldOf(raw, h.msg), w.msg);
  for (Span s : {h.host, h.app, h.procid, h.msgid, h.structured_data, h.msg}) {
    EXPECT_LE(uint64_t{s.off} + s.len, raw.size());
    if (s.len == 0) {
      EXPECT_EQ(s, Span{});
    }
  }
}

inline void ExpectParse(std::string_view raw, const Want& w) { ExpectHeader(raw, Parse(raw), w); }

}  // namespace kiroku::syslog::testing

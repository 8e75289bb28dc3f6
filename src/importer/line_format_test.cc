#include "importer/line_format.h"

#include <gtest/gtest.h>

#include <string>

#include "syslog/zone_rules.h"

namespace kiroku::importer {
namespace {

constexpr int64_t kS = 1'000'000'000;
// 2027-01-02T00:00:00Z
constexpr int64_t kJan2 = 1798848000LL * kS;

std::string_view Field(std::string_view line, Span s) { return line.substr(s.off, s.len); }

TEST(DetectFormat, PicksTheMajority) {
  EXPECT_EQ(DetectFormat({"Oct 27 10:00:00 h app: x", "", "Oct 27 10:00:01 h app: y"}),
            LineFormat::kSyslog);
  EXPECT_EQ(DetectFormat({"1795703862.123    523 10.0.0.5 TCP_MISS/200 5120 GET http://a/ - "
                          "HIER_DIRECT/1.2.3.4 text/html"}),
            LineFormat::kSquid);
  EXPECT_EQ(DetectFormat({R"(192.0.2.1 - - [10/Oct/2026:13:55:36 +0900] "GET / HTTP/1.1" 200 1)"}),
            LineFormat::kClf);
  EXPECT_EQ(DetectFormat({"#Software: IIS", "#Fields: date time"}), LineFormat::kW3c);
  EXPECT_EQ(DetectFormat({"garbage", "more garbage"}), LineFormat::kSyslog);
  EXPECT_EQ(DetectFormat({}), LineFormat::kSyslog);
}

TEST(LineFormatName, RoundTripsAndAliases) {
  for (LineFormat f : {LineFormat::kAuto, LineFormat::kSyslog, LineFormat::kSquid, LineFormat::kClf,
                       LineFormat::kW3c, LineFormat::kRaw}) {
    EXPECT_EQ(LineFormatFromName(LineFormatName(f)), f);
  }
  EXPECT_EQ(LineFormatFromName("postfix"), LineFormat::kSyslog);
  EXPECT_EQ(LineFormatFromName("combined"), LineFormat::kClf);
  EXPECT_FALSE(LineFormatFromName("nope"));
}

TEST(LineParser, TraditionalYearFromReferenceAcrossNewYear) {
  syslog::ZoneRules zones;
  ASSERT_TRUE(zones.SetDefault("UTC").ok());
  LineParser p(LineFormat::kSyslog, zones, kJan2);
  std::string dec = "Dec 31 23:59:58 fw1 kernel: DROP";
  SyslogHeader h = p.Parse(dec);
  ASSERT_FALSE(h.parse_error);
  ASSERT_TRUE(h.device_time_ns);
  EXPECT_EQ(*h.device_time_ns, kJan2 - 24 * 3600 * kS - 2 * kS);
  EXPECT_EQ(Field(dec, h.host), "fw1");
  EXPECT_EQ(Field(dec, h.app), "kernel");
  EXPECT_EQ(Field(dec, h.msg), "DROP");
  EXPECT_EQ(h.facility, -1);
  std::string jan = "Jan  1 00:00:02 fw1 kernel: ACCEPT";
  h = p.Parse(jan);
  EXPECT_EQ(*h.device_time_ns, kJan2 - 24 * 3600 * kS + 2 * kS);
}

TEST(LineParser, LineWithoutTimestampIsAParseError) {
  syslog::ZoneRules zones;
  LineParser p(LineFormat::kSyslog, zones, kJan2);
  std::string line = "this is not syslog";
  SyslogHeader h = p.Parse(line);
  EXPECT_TRUE(h.parse_error);
  EXPECT_EQ(Field(line, h.msg), line);
  EXPECT_FALSE(h.device_time_ns);
}

TEST(LineParser, SquidClfW3c) {
  syslog::ZoneRules zones;
  LineParser squid(LineFormat::kSquid, zones, 0);
  SyslogHeader h = squid.Parse("1795703862.123    523 10.0.0.5 TCP_MISS/200 5120 GET x - y z");
  ASSERT_TRUE(h.device_time_ns);
  EXPECT_EQ(*h.device_time_ns, 1795703862LL * kS + 123'000'000);
  EXPECT_TRUE(squid.Parse("nope").parse_error);

  LineParser clf(LineFormat::kClf, zones, 0);
  h = clf.Parse(R"(192.0.2.1 - bob [10/Oct/2026:13:55:36 +0900] "GET / HTTP/1.1" 200 1)");
  ASSERT_TRUE(h.device_time_ns);
  EXPECT_EQ(*h.device_time_ns, 1791608136LL * kS);  // 2026-10-10T04:55:36Z

  LineParser w3c(LineFormat::kW3c, zones, 0);
  EXPECT_FALSE(w3c.Parse("2026-10-10 04:55:36 x").device_time_ns);  // no #Fields yet
  EXPECT_FALSE(w3c.Parse("#Fields: s-ip date time").parse_error);
  h = w3c.Parse("192.0.2.9 2026-10-10 04:55:36");
  ASSERT_TRUE(h.device_time_ns);
  EXPECT_EQ(*h.device_time_ns, 1791608136LL * kS);
}

}  // namespace
}  // namespace kiroku::importer

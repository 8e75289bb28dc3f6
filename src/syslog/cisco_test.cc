// The Cisco layout: IOS (with and without sequence number, host, clock mark, year, zone,
// uptime stamps), NX-OS and ASA.
#include <string>

#include "syslog/parser_test_util.h"

namespace kiroku::syslog {
namespace {

using testing::ExpectHeader;
using testing::ExpectParse;
using testing::kReceive;
using testing::UtcNs;
constexpr auto kCisco = SyslogFormat::kCisco;

TEST(CiscoTest, IosSeqNoHostClockNotAuthoritative) {
  ExpectParse(
      "<189>123: *Mar  1 00:00:00.123: %LINK-3-UPDOWN: Interface GigabitEthernet0/1, changed "
      "state to up",
      {.format = kCisco,
       .facility = 23,
       .severity = 5,
       .time = UtcNs(2026, 3, 1, 0, 0, 0, 123'000'000),
       .msg = "%LINK-3-UPDOWN: Interface GigabitEthernet0/1, changed state to up"});
}

TEST(CiscoTest, IosSeqHostZone) {
  ExpectParse(
      "<189>123: router1: *Mar  1 00:00:00.123 UTC: %LINK-3-UPDOWN: Interface Gi0/1, changed "
      "state to down",
      {.format = kCisco,
       .facility = 23,
       .severity = 5,
       .time = UtcNs(2026, 3, 1, 0, 0, 0, 123'000'000),
       .host = "router1",
       .msg = "%LINK-3-UPDOWN: Interface Gi0/1, changed state to down"});
  // A year and UTC: the device said everything, so the zone is known.
  ExpectParse(
      "<189>45: router1.example.net: Nov 26 2026 14:30:00.123 UTC: %SYS-5-CONFIG_I: Configured "
      "from console by admin on vty0 (192.0.2.5)",
      {.format = kCisco,
       .facility = 23,
       .severity = 5,
       .time = UtcNs(2026, 11, 26, 14, 30, 0, 123'000'000),
       .zone_known = true,
       .host = "router1.example.net",
       .msg = "%SYS-5-CONFIG_I: Configured from console by admin on vty0 (192.0.2.5)"});
  ExpectParse("<187>46: .Nov 26 14:30:00 GMT: %SYS-3-X: lost sync",
              {.format = kCisco,
               .facility = 23,
               .severity = 3,
               .time = UtcNs(2026, 11, 26, 14, 30, 0),
               .msg = "%SYS-3-X: lost sync"});
}

TEST(CiscoTest, NoSequenceNumber) {
  ExpectParse("<189>*Mar  1 00:00:00.123: %LINK-3-UPDOWN: Interface Gi0/1, changed state to up",
              {.format = kCisco,
               .facility = 23,
               .severity = 5,
               .time = UtcNs(2026, 3, 1, 0, 0, 0, 123'000'000),
               .msg = "%LINK-3-UPDOWN: Interface Gi0/1, changed state to up"});
  ExpectParse("<189>Nov 26 14:30:00.123 UTC: %SYS-5-CONFIG_I: Configured from console",
              {.format = kCisco,
               .facility = 23,
               .severity = 5,
               .time = UtcNs(2026, 11, 26, 14, 30, 0, 123'000'000),
               .msg = "%SYS-5-CONFIG_I: Configured from console"});
}

TEST(CiscoTest, UptimeStampsHaveNoDeviceTime) {
  ExpectParse("<189>45: 1d02h: %SYS-5-CONFIG_I: Configured from console",
              {.format = kCisco,
               .facility = 23,
               .severity = 5,
               .msg = "%SYS-5-CONFIG_I: Configured from console"});
  ExpectParse("<189>46: 00:01:23: %LINK-3-UPDOWN: Interface Gi0/1, changed state to up",
              {.format = kCisco,
               .facility = 23,
               .severity = 5,
               .msg = "%LINK-3-UPDOWN: Interface Gi0/1, changed state to up"});
  ExpectParse("<189>00:01:23: %LINK-3-UPDOWN: x",
              {.format = kCisco, .facility = 23, .severity = 5, .msg = "%LINK-3-UPDOWN: x"});
  ExpectParse(
      "<189>47: sw1: 2w3d: %LINK-3-UPDOWN: x",
      {.format = kCisco, .facility = 23, .severity = 5, .host = "sw1", .msg = "%LINK-3-UPDOWN: x"});
}

TEST(CiscoTest, NoTimestamps) {
  ExpectParse("<189>45: %SYS-5-CONFIG_I: Configured from console",
              {.format = kCisco,
               .facility = 23,
               .severity = 5,
               .msg = "%SYS-5-CONFIG_I: Configured from console"});
  ExpectParse("<189>45: router1: %SYS-5-CONFIG_I: Configured from console",
              {.format = kCisco,
               .facility = 23,
               .severity = 5,
               .host = "router1",
               .msg = "%SYS-5-CONFIG_I: Configured from console"});
  ExpectParse("<189>45:", {.format = kCisco, .facility = 23, .severity = 5});
}

TEST(CiscoTest, NxOs) {
  ExpectParse(
      "<189>: 2026 Nov 26 14:30:00 UTC: %ETHPORT-5-IF_UP: Interface Ethernet1/5 is up in mode "
      "access",
      {.format = kCisco,
       .facility = 23,
       .severity = 5,
       .time = UtcNs(2026, 11, 26, 14, 30, 0),
       .zone_known = true,
       .msg = "%ETHPORT-5-IF_UP: Interface Ethernet1/5 is up in mode access"});
  ExpectParse("<187>: 2026 Nov  6 14:30:00.250 UTC: %ETHPORT-3-IF_DOWN_LINK_FAILURE: x",
              {.format = kCisco,
               .facility = 23,
               .severity = 3,
               .time = UtcNs(2026, 11, 6, 14, 30, 0, 250'000'000),
               .zone_known = true,
               .msg = "%ETHPORT-3-IF_DOWN_LINK_FAILURE: x"});
}

TEST(CiscoTest, AsaWithoutDeviceId) {
  ExpectParse(
      "<166>Nov 26 2026 14:30:00: %ASA-6-302013: Built outbound TCP connection 123 for "
      "outside:192.0.2.1/443 (192.0.2.1/443) to inside:10.0.0.5/51234 (203.0.113.5/51234)",
      {.format = kCisco,
       .facility = 20,
       .severity = 6,
       .time = UtcNs(2026, 11, 26, 14, 30, 0),
       .msg = "%ASA-6-302013: Built outbound TCP connection 123 for outside:192.0.2.1/443 "
              "(192.0.2.1/443) to inside:10.0.0.5/51234 (203.0.113.5/51234)"});
}

// Only UTC/GMT are unambiguous; any other abbreviation is read in the source's zone.
TEST(CiscoTest, OtherZoneAbbreviationUsesSourceZone) {
  ZoneRules rules;
  ASSERT_TRUE(rules.SetDefault("UTC").ok());
  ASSERT_TRUE(rules.Add("host:ROUTER1", "Europe/Berlin").ok());
  ASSERT_TRUE(rules.Add("192.0.2.0/24", "Asia/Tokyo").ok());
  PeerAddress peer{.family = 4, .addr = {192, 0, 2, 77}};

  const std::string_view by_host =
      "<189>45: router1: Nov 26 2026 14:30:00.123 CET: %SYS-5-CONFIG_I: x";
  ExpectHeader(by_host, ParseSyslog(by_host, kReceive, rules, peer),
               {.format = kCisco,
                .facility = 23,
                .severity = 5,
                .time = UtcNs(2026, 11, 26, 13, 30, 0, 123'000'000),
                .host = "router1",
                .msg = "%SYS-5-CONFIG_I: x"});
  const std::string_view by_peer = "<189>45: *Nov 26 14:30:00 JST: %SYS-5-CONFIG_I: x";
  ExpectHeader(by_peer, ParseSyslog(by_peer, kReceive, rules, peer),
               {.format = kCisco,
                .facility = 23,
                .severity = 5,
                .time = UtcNs(2026, 11, 26, 5, 30, 0),
                .msg = "%SYS-5-CONFIG_I: x"});
  // "UTC" overrides the source zone.
  const std::string_view utc = "<189>45: *Nov 26 14:30:00 UTC: %SYS-5-CONFIG_I: x";
  ExpectHeader(utc, ParseSyslog(utc, kReceive, rules, peer),
               {.format = kCisco,
                .facility = 23,
                .severity = 5,
                .time = UtcNs(2026, 11, 26, 14, 30, 0),
                .msg = "%SYS-5-CONFIG_I: x"});
}

TEST(CiscoTest, MalformedAfterCommitting) {
  for (std::string_view bad : {
           "<189>123: *Mar 32 00:00:00.123: %LINK-3-UPDOWN: x",
           "<189>123: *Mar  1 00:00:00.123x %LINK-3-UPDOWN: x",
           "<189>123: router1: Nov 26 25:30:00 UTC: %SYS-5-CONFIG_I: x",
           "<189>*Mar  1 00:00: %LINK-3-UPDOWN: x",
       }) {
    ExpectParse(bad, {.facility = 23, .severity = 5, .msg = bad});
  }
}

// A lower-case word before the ':' is a BSD TAG, not a zone: "kernel:" must stay an app.
TEST(CiscoTest, BsdTagIsNotTakenForAZone) {
  ExpectParse("<13>Nov 26 14:30:00 kernel: %not-a-mnemonic",
              {.format = SyslogFormat::kRfc3164,
               .facility = 1,
               .severity = 5,
               .time = UtcNs(2026, 11, 26, 14, 30, 0),
               .app = "kernel",
               .msg = "%not-a-mnemonic"});
  ExpectParse("<13>Nov 26 14:30:00 UTC: text", {.format = SyslogFormat::kRfc3164,
                                                .facility = 1,
                                                .severity = 5,
                                                .time = UtcNs(2026, 11, 26, 14, 30, 0),
                                                .app = "UTC",
                                                .msg = "text"});
}

}  // namespace
}  // namespace kiroku::syslog

// BSD syslog: RFC 3164's examples (section 5.4), util-linux logger, rsyslog's forwarding
// templates, and the variants devices send (padded days, ISO timestamps, fractions, a year,
// no hostname, no timestamp).
#include <string>

#include "syslog/parser_test_util.h"

namespace kiroku::syslog {
namespace {

using testing::ExpectParse;
using testing::UtcNs;
constexpr auto k3164 = SyslogFormat::kRfc3164;

// The receive time is 2026-11-26T14:37:42Z, so "Oct 11" is 2026 and the zone is UTC.
TEST(Rfc3164Test, RfcExample1) {
  ExpectParse("<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8",
              {.format = k3164,
               .facility = 4,
               .severity = 2,
               .time = UtcNs(2026, 10, 11, 22, 14, 15),
               .host = "mymachine",
               .app = "su",
               .msg = "'su root' failed for lonvick on /dev/pts/8"});
}

// The relayed form of "Use the BFG!": the relay added a timestamp and its address; there is no
// TAG, and we do not invent one from the first word.
TEST(Rfc3164Test, RfcExample2Relayed) {
  ExpectParse("<13>Feb  5 17:32:18 10.0.0.99 Use the BFG!", {.format = k3164,
                                                             .facility = 1,
                                                             .severity = 5,
                                                             .time = UtcNs(2026, 2, 5, 17, 32, 18),
                                                             .host = "10.0.0.99",
                                                             .msg = "Use the BFG!"});
}

// "CST 1987" after the time is not a valid header; as the RFC says, a receiver takes "CST" for
// the hostname, and the rest is content.
TEST(Rfc3164Test, RfcExample3) {
  const std::string_view line =
      "<165>Aug 24 05:34:00 CST 1987 mymachine myproc[10]: %% It's time to make the do-nuts.  "
      "%%  Ingredients: Mix=OK, Jelly=OK # Devices: Mixer=OK, Jelly_Injector=OK, Frier=OK # "
      "Transport: Conveyer1=OK, Conveyer2=OK # %%";
  ExpectParse(line, {.format = k3164,
                     .facility = 20,
                     .severity = 5,
                     .time = UtcNs(2026, 8, 24, 5, 34, 0),
                     .host = "CST",
                     .msg = line.substr(line.find("1987"))});
}

// "1990 Oct 22" is no timestamp we know: everything after the PRI is content (RFC 3164 4.3.3).
TEST(Rfc3164Test, RfcExample4) {
  const std::string_view line =
      "<0>1990 Oct 22 10:52:01 TZ-6 scapegoat.dmz.example.org 10.1.2.3 sched[0]: That's All "
      "Folks!";
  ExpectParse(line, {.format = k3164, .facility = 0, .severity = 0, .msg = line.substr(3)});
}

// Captured from util-linux 2.38.1: logger -n 127.0.0.1 -P PORT -d --rfc3164 ...
TEST(Rfc3164Test, UtilLinuxLogger) {
  ExpectParse("<13>Nov 26 14:37:41 vm myapp: hello rfc3164",
              {.format = k3164,
               .facility = 1,
               .severity = 5,
               .time = UtcNs(2026, 11, 26, 14, 37, 41),
               .host = "vm",
               .app = "myapp",
               .msg = "hello rfc3164"});
  ExpectParse("<13>Nov 26 14:37:41 vm myapp[7489]: with pid",
              {.format = k3164,
               .facility = 1,
               .severity = 5,
               .time = UtcNs(2026, 11, 26, 14, 37, 41),
               .host = "vm",
               .app = "myapp",
               .procid = "7489",
               .msg = "with pid"});
  ExpectParse("<12>Nov 26 14:37:41 vm root: no tag given", {.format = k3164,
                                                            .facility = 1,
                                                            .severity = 4,
                                                            .time = UtcNs(2026, 11, 26, 14, 37, 41),
                                                            .host = "vm",
                                                            .app = "root",
                                                            .msg = "no tag given"});
}

// RSYSLOG_TraditionalForwardFormat and RSYSLOG_ForwardFormat (RFC 3339 timestamp).
TEST(Rfc3164Test, Rsyslog) {
  ExpectParse("<30>Nov  1 04:02:03 web01 systemd[1]: Started Session 5 of user alice.\n",
              {.format = k3164,
               .facility = 3,
               .severity = 6,
               .time = UtcNs(2026, 11, 1, 4, 2, 3),
               .host = "web01",
               .app = "systemd",
               .procid = "1",
               .msg = "Started Session 5 of user alice."});
  ExpectParse("<86>2026-11-26T23:30:00.123456+09:00 web01 sshd[2211]: Accepted publickey for alice",
              {.format = k3164,
               .facility = 10,
               .severity = 6,
               .time = UtcNs(2026, 11, 26, 14, 30, 0, 123'456'000),
               .zone_known = true,
               .host = "web01",
               .app = "sshd",
               .procid = "2211",
               .msg = "Accepted publickey for alice"});
  ExpectParse("<22>2026-11-26T14:30:00Z mail01 postfix/smtpd[812]: connect from unknown[192.0.2.9]",
              {.format = k3164,
               .facility = 2,
               .severity = 6,
               .time = UtcNs(2026, 11, 26, 14, 30, 0),
               .zone_known = true,
               .host = "mail01",
               .app = "postfix/smtpd",
               .procid = "812",
               .msg = "connect from unknown[192.0.2.9]"});
}

TEST(Rfc3164Test, DaySpellings) {
  for (std::string_view line : {"<13>Nov  1 04:02:03 h a: m", "<13>Nov 01 04:02:03 h a: m",
                                "<13>Nov 1 04:02:03 h a: m", "<13>NOV  1 04:02:03 h a: m"}) {
    ExpectParse(line, {.format = k3164,
                       .facility = 1,
                       .severity = 5,
                       .time = UtcNs(2026, 11, 1, 4, 2, 3),
                       .host = "h",
                       .app = "a",
                       .msg = "m"});
  }
}

TEST(Rfc3164Test, FractionalSecondsAndYear) {
  ExpectParse("<13>Nov 26 14:30:00.123 h a: m",
              {.format = k3164,
               .facility = 1,
               .severity = 5,
               .time = UtcNs(2026, 11, 26, 14, 30, 0, 123'000'000),
               .host = "h",
               .app = "a",
               .msg = "m"});
  ExpectParse("<13>Nov 26 2019 14:30:00 h a: m", {.format = k3164,
                                                  .facility = 1,
                                                  .severity = 5,
                                                  .time = UtcNs(2019, 11, 26, 14, 30, 0),
                                                  .host = "h",
                                                  .app = "a",
                                                  .msg = "m"});
  ExpectParse("<13>Feb 29 2028 14:30:00.5 h a: m",
              {.format = k3164,
               .facility = 1,
               .severity = 5,
               .time = UtcNs(2028, 2, 29, 14, 30, 0, 500'000'000),
               .host = "h",
               .app = "a",
               .msg = "m"});
}

// ISO timestamps without an offset are read in the source's zone, like "Mmm dd".
TEST(Rfc3164Test, IsoVariants) {
  ExpectParse("<13>2026-11-26 14:30:00 h a: m", {.format = k3164,
                                                 .facility = 1,
                                                 .severity = 5,
                                                 .time = UtcNs(2026, 11, 26, 14, 30, 0),
                                                 .host = "h",
                                                 .app = "a",
                                                 .msg = "m"});
  ExpectParse("<13>2026-11-26T14:30:00.5+0100 h a: m",
              {.format = k3164,
               .facility = 1,
               .severity = 5,
               .time = UtcNs(2026, 11, 26, 13, 30, 0, 500'000'000),
               .zone_known = true,
               .host = "h",
               .app = "a",
               .msg = "m"});
}

TEST(Rfc3164Test, NoHostname) {
  ExpectParse("<38>Nov 26 14:30:00 sshd[42]: Failed password for root",
              {.format = k3164,
               .facility = 4,
               .severity = 6,
               .time = UtcNs(2026, 11, 26, 14, 30, 0),
               .app = "sshd",
               .procid = "42",
               .msg = "Failed password for root"});
  ExpectParse("<4>Nov 26 14:30:00 kernel: eth0: link up", {.format = k3164,
                                                           .facility = 0,
                                                           .severity = 4,
                                                           .time = UtcNs(2026, 11, 26, 14, 30, 0),
                                                           .app = "kernel",
                                                           .msg = "eth0: link up"});
  ExpectParse("<13>Nov 26 14:30:00 CRON[7] (root) CMD (run-parts)",
              {.format = k3164,
               .facility = 1,
               .severity = 5,
               .time = UtcNs(2026, 11, 26, 14, 30, 0),
               .app = "CRON",
               .procid = "7",
               .msg = "(root) CMD (run-parts)"});
}

TEST(Rfc3164Test, TagShapes) {
  const auto tag = [](const std::string& t, std::string_view app, std::string_view pid,
                      std::string_view msg) {
    const std::string line = "<13>Nov 26 14:30:00 h " + t;
    ExpectParse(line, {.format = k3164,
                       .facility = 1,
                       .severity = 5,
                       .time = UtcNs(2026, 11, 26, 14, 30, 0),
                       .host = "h",
                       .app = app,
                       .procid = pid,
                       .msg = msg});
  };
  tag("app: m", "app", "", "m");
  tag("app:  two spaces", "app", "", " two spaces");
  tag("app[12]: m", "app", "12", "m");
  tag("app[12]:m", "app", "12", "m");
  tag("app[12] m", "app", "12", "m");
  tag("app[main-7]: m", "app", "main-7", "m");
  tag("app[12 m", "app", "", "m");
  tag("app[]: m", "app", "", "m");
  tag("app:", "app", "", "");
  tag("app", "", "", "app");
  tag("app:m", "", "", "app:m");  // neither ends with ':' nor has '[': not a TAG
  tag("just words here", "", "", "just words here");
  tag("%ASA-6-302013: Built", "", "", "%ASA-6-302013: Built");
  tag("[12345.678] usb 1-1: new device", "", "", "[12345.678] usb 1-1: new device");
  tag("app: \xEF\xBB\xBFm", "app", "", "m");
}

TEST(Rfc3164Test, HostOnlyAndTimestampOnly) {
  ExpectParse("<13>Nov 26 14:30:00 h", {.format = k3164,
                                        .facility = 1,
                                        .severity = 5,
                                        .time = UtcNs(2026, 11, 26, 14, 30, 0),
                                        .host = "h"});
  ExpectParse(
      "<13>Nov 26 14:30:00 ",
      {.format = k3164, .facility = 1, .severity = 5, .time = UtcNs(2026, 11, 26, 14, 30, 0)});
  ExpectParse(
      "<13>Nov 26 14:30:00",
      {.format = k3164, .facility = 1, .severity = 5, .time = UtcNs(2026, 11, 26, 14, 30, 0)});
  ExpectParse("<13>Nov 26 14:30:00   h   a: m", {.format = k3164,
                                                 .facility = 1,
                                                 .severity = 5,
                                                 .time = UtcNs(2026, 11, 26, 14, 30, 0),
                                                 .host = "h",
                                                 .app = "a",
                                                 .msg = "m"});
}

// ASA with "logging device-id hostname" puts " : " between the host and the mnemonic.
TEST(Rfc3164Test, AsaWithDeviceId) {
  ExpectParse("<166>Nov 26 2026 14:30:00 fw01 : %ASA-6-302013: Built outbound TCP connection",
              {.format = k3164,
               .facility = 20,
               .severity = 6,
               .time = UtcNs(2026, 11, 26, 14, 30, 0),
               .host = "fw01",
               .msg = "%ASA-6-302013: Built outbound TCP connection"});
  ExpectParse("<166>%ASA-6-106100: access-list inside permitted tcp",
              {.format = k3164,
               .facility = 20,
               .severity = 6,
               .msg = "%ASA-6-106100: access-list inside permitted tcp"});
}

// Lines with a PRI but no timestamp (the kernel's own format, minimal senders).
TEST(Rfc3164Test, NoTimestamp) {
  ExpectParse("<4>kernel: [12345.678] eth0: link up", {.format = k3164,
                                                       .facility = 0,
                                                       .severity = 4,
                                                       .app = "kernel",
                                                       .msg = "[12345.678] eth0: link up"});
  ExpectParse("<6>[12345.678] usb 1-1: new high-speed USB device",
              {.format = k3164,
               .facility = 0,
               .severity = 6,
               .msg = "[12345.678] usb 1-1: new high-speed USB device"});
  ExpectParse("<14>myapp[99]: started", {.format = k3164,
                                         .facility = 1,
                                         .severity = 6,
                                         .app = "myapp",
                                         .procid = "99",
                                         .msg = "started"});
  ExpectParse("<13>hello world",
              {.format = k3164, .facility = 1, .severity = 5, .msg = "hello world"});
  ExpectParse("<13>Jan said hello",
              {.format = k3164, .facility = 1, .severity = 5, .msg = "Jan said hello"});
  ExpectParse("<13>", {.format = k3164, .facility = 1, .severity = 5});
  ExpectParse("<13>2 not five four two four",
              {.format = k3164, .facility = 1, .severity = 5, .msg = "2 not five four two four"});
}

TEST(Rfc3164Test, MalformedTimestampIsAnError) {
  for (std::string_view bad : {
           "<13>Nov 32 14:30:00 h a: m",
           "<13>Feb 30 14:30:00 h a: m",
           "<13>Apr 31 14:30:00 h a: m",
           "<13>Nov 26 24:00:00 h a: m",
           "<13>Nov 26 14:61:00 h a: m",
           "<13>Nov 26 14:30 h a: m",
           "<13>Nov 26 14:30:00x h a: m",
           "<13>Nov 26 14:30:00. h a: m",
           "<13>Nov 26 14:30:00.1234567890 h a: m",
           "<13>Nov  0 14:30:00 h a: m",
           "<13>Nov 26 2027 4:30:00 h a: m",
           "<13>Feb 29 2027 14:30:00 h a: m",
           "<13>2026-11-26X14:30:00 h a: m",
           "<13>2026-11-26T14:30:00+2500 h a: m",
       }) {
    ExpectParse(bad, {.facility = 1, .severity = 5, .msg = bad});
  }
}

}  // namespace
}  // namespace kiroku::syslog

// RFC 5424 headers: the RFC's own examples (section 6.5), what util-linux logger and rsyslog
// send, and each rule of the grammar that makes a header invalid.
#include <string>

#include "syslog/parser_test_util.h"

namespace kiroku::syslog {
namespace {

using testing::ExpectParse;
using testing::kReceive;
using testing::UtcNs;
constexpr auto k5424 = SyslogFormat::kRfc5424;
constexpr auto kBad = SyslogFormat::kUnknown;

TEST(Rfc5424Test, RfcExample1WithBom) {
  ExpectParse(
      "<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - \xEF\xBB\xBF'su root' "
      "failed for lonvick on /dev/pts/8",
      {.format = k5424,
       .facility = 4,
       .severity = 2,
       .time = UtcNs(2003, 10, 11, 22, 14, 15, 3'000'000),
       .zone_known = true,
       .host = "mymachine.example.com",
       .app = "su",
       .msgid = "ID47",
       .msg = "'su root' failed for lonvick on /dev/pts/8"});
}

TEST(Rfc5424Test, RfcExample2NegativeOffsetMicroseconds) {
  ExpectParse(
      "<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It's time to make "
      "the do-nuts.",
      {.format = k5424,
       .facility = 20,
       .severity = 5,
       .time = UtcNs(2003, 8, 24, 12, 14, 15, 3'000),
       .zone_known = true,
       .host = "192.0.2.1",
       .app = "myproc",
       .procid = "8710",
       .msg = "%% It's time to make the do-nuts."});
}

TEST(Rfc5424Test, RfcExample3StructuredDataAndBom) {
  ExpectParse(
      "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 "
      "iut=\"3\" eventSource=\"Application\" eventID=\"1011\"] \xEF\xBB\xBF"
      "An application event log entry...",
      {.format = k5424,
       .facility = 20,
       .severity = 5,
       .time = UtcNs(2003, 10, 11, 22, 14, 15, 3'000'000),
       .zone_known = true,
       .host = "mymachine.example.com",
       .app = "evntslog",
       .msgid = "ID47",
       .sd = "[exampleSDID@32473 iut=\"3\" eventSource=\"Application\" eventID=\"1011\"]",
       .msg = "An application event log entry..."});
}

TEST(Rfc5424Test, RfcExample4TwoSdElementsNoMsg) {
  ExpectParse(
      "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 "
      "iut=\"3\" eventSource=\"Application\" eventID=\"1011\"][examplePriority@32473 "
      "class=\"high\"]",
      {.format = k5424,
       .facility = 20,
       .severity = 5,
       .time = UtcNs(2003, 10, 11, 22, 14, 15, 3'000'000),
       .zone_known = true,
       .host = "mymachine.example.com",
       .app = "evntslog",
       .msgid = "ID47",
       .sd = "[exampleSDID@32473 iut=\"3\" eventSource=\"Application\" eventID=\"1011\"]"
             "[examplePriority@32473 class=\"high\"]"});
}

// Captured from util-linux 2.38.1: logger -n 127.0.0.1 -P PORT -d --rfc5424 -t myapp ...
TEST(Rfc5424Test, UtilLinuxLogger) {
  ExpectParse(
      "<13>1 2026-11-26T14:37:41.837666+00:00 vm myapp - - [timeQuality tzKnown=\"1\" "
      "isSynced=\"0\"] hello rfc5424",
      {.format = k5424,
       .facility = 1,
       .severity = 5,
       .time = UtcNs(2026, 11, 26, 14, 37, 41, 837'666'000),
       .zone_known = true,
       .host = "vm",
       .app = "myapp",
       .sd = "[timeQuality tzKnown=\"1\" isSynced=\"0\"]",
       .msg = "hello rfc5424"});
  ExpectParse("<165>1 2026-11-26T14:37:41.839135+00:00 vm myapp 7491 ID47 - hello notq",
              {.format = k5424,
               .facility = 20,
               .severity = 5,
               .time = UtcNs(2026, 11, 26, 14, 37, 41, 839'135'000),
               .zone_known = true,
               .host = "vm",
               .app = "myapp",
               .procid = "7491",
               .msgid = "ID47",
               .msg = "hello notq"});
  ExpectParse(
      "<13>1 2026-11-26T14:37:41.840631+00:00 vm myapp - - [timeQuality tzKnown=\"1\" "
      "isSynced=\"0\"][zoo@123 tiger=\"hungry\"] with sd",
      {.format = k5424,
       .facility = 1,
       .severity = 5,
       .time = UtcNs(2026, 11, 26, 14, 37, 41, 840'631'000),
       .zone_known = true,
       .host = "vm",
       .app = "myapp",
       .sd = "[timeQuality tzKnown=\"1\" isSynced=\"0\"][zoo@123 tiger=\"hungry\"]",
       .msg = "with sd"});
}

// rsyslog's RSYSLOG_SyslogProtocol23Format, as forwarded by omfwd.
TEST(Rfc5424Test, Rsyslog) {
  ExpectParse(
      "<86>1 2026-11-26T23:30:00.123456+09:00 web01 sshd 2211 - - Accepted publickey for alice "
      "from 192.0.2.7 port 50022 ssh2\n",
      {.format = k5424,
       .facility = 10,
       .severity = 6,
       .time = UtcNs(2026, 11, 26, 14, 30, 0, 123'456'000),
       .zone_known = true,
       .host = "web01",
       .app = "sshd",
       .procid = "2211",
       .msg = "Accepted publickey for alice from 192.0.2.7 port 50022 ssh2"});
}

TEST(Rfc5424Test, AllNil) {
  ExpectParse("<14>1 - - - - - -", {.format = k5424, .facility = 1, .severity = 6});
  ExpectParse("<14>1 - - - - - - ", {.format = k5424, .facility = 1, .severity = 6});
  ExpectParse("<14>1 - - - - - - hi", {.format = k5424, .facility = 1, .severity = 6, .msg = "hi"});
}

TEST(Rfc5424Test, FractionsAndOffsets) {
  const auto at = [](const std::string& ts, std::optional<int64_t> want) {
    const std::string line = "<14>1 " + ts + " h a p m - x";
    ExpectParse(line, {.format = want ? k5424 : kBad,
                       .facility = 1,
                       .severity = 6,
                       .time = want,
                       .zone_known = want.has_value(),
                       .host = want ? "h" : "",
                       .app = want ? "a" : "",
                       .procid = want ? "p" : "",
                       .msgid = want ? "m" : "",
                       .msg = want ? std::string_view("x") : std::string_view(line)});
  };
  at("2026-11-26T14:30:00Z", UtcNs(2026, 11, 26, 14, 30, 0));
  at("2026-11-26T14:30:00.1Z", UtcNs(2026, 11, 26, 14, 30, 0, 100'000'000));
  at("2026-11-26T14:30:00.123456789Z", UtcNs(2026, 11, 26, 14, 30, 0, 123'456'789));
  at("2026-11-26T14:30:00.1234567890Z", std::nullopt);  // 10 digits
  at("2026-11-26T14:30:00.Z", std::nullopt);
  at("2026-11-26T14:30:00+05:30", UtcNs(2026, 11, 26, 9, 0, 0));
  at("2026-11-26T00:30:00-08:00", UtcNs(2026, 11, 26, 8, 30, 0));
  at("2026-01-01T00:30:00+01:00", UtcNs(2025, 12, 31, 23, 30, 0));
  at("2028-02-29T12:00:00Z", UtcNs(2028, 2, 29, 12, 0, 0));
  at("2026-02-29T12:00:00Z", std::nullopt);  // not a leap year
  at("2026-04-31T12:00:00Z", std::nullopt);
  at("2026-13-01T12:00:00Z", std::nullopt);
  at("2026-11-26T24:00:00Z", std::nullopt);
  at("2026-11-26T14:60:00Z", std::nullopt);
  at("2026-11-26T14:30:00", std::nullopt);  // RFC 5424 requires the offset
  at("2026-11-26T14:30:00+0900", std::nullopt);
  at("2026-11-26T14:30:00+24:00", std::nullopt);
  at("2026-11-26 14:30:00Z", std::nullopt);
  at("2026-11-26T14:30Z", std::nullopt);
}

TEST(Rfc5424Test, YearOutsideInt64NanosKeepsHeaderButNoTime) {
  ExpectParse("<14>1 9999-12-31T23:59:59Z h a - - - x",
              {.format = k5424, .facility = 1, .severity = 6, .host = "h", .app = "a", .msg = "x"});
}

TEST(Rfc5424Test, FieldLengthLimits) {
  const std::string host255(255, 'h'), host256(256, 'h');
  const std::string app48(48, 'a'), app49(49, 'a');
  const std::string pid128(128, '7'), pid129(129, '7');
  const std::string id32(32, 'M'), id33(33, 'M');
  const auto line = [](const std::string& h, const std::string& a, const std::string& p,
                       const std::string& m) {
    return "<14>1 - " + h + " " + a + " " + p + " " + m + " - x";
  };
  const std::string good = line(host255, app48, pid128, id32);
  ExpectParse(good, {.format = k5424,
                     .facility = 1,
                     .severity = 6,
                     .host = host255,
                     .app = app48,
                     .procid = pid128,
                     .msgid = id32,
                     .msg = "x"});
  for (const std::string& bad : {line(host256, "a", "p", "m"), line("h", app49, "p", "m"),
                                 line("h", "a", pid129, "m"), line("h", "a", "p", id33)}) {
    ExpectParse(bad, {.facility = 1, .severity = 6, .msg = bad});
  }
}

TEST(Rfc5424Test, NonPrintableFieldIsAnError) {
  for (std::string_view bad : {"<14>1 - h\xC3\xA9 a - - - x", "<14>1 - h a\tb - - - x",
                               "<14>1 - h  a - - - x", "<14>1 - h a - - -x"}) {
    ExpectParse(bad, {.facility = 1, .severity = 6, .msg = bad});
  }
}

TEST(Rfc5424Test, StructuredDataEscapes) {
  const std::string_view line =
      R"(<14>1 - h a - - [x@1 p="q \"quoted\" \\ back \] bracket" e=""][y@2] m)";
  ExpectParse(line, {.format = k5424,
                     .facility = 1,
                     .severity = 6,
                     .host = "h",
                     .app = "a",
                     .sd = R"([x@1 p="q \"quoted\" \\ back \] bracket" e=""][y@2])",
                     .msg = "m"});
  // An unescaped ']' inside quotes cannot end the element; "\x" is a literal backslash and x.
  const std::string_view lenient = R"(<14>1 - h a - - [x@1 p="a]b\x"] m)";
  ExpectParse(lenient, {.format = k5424,
                        .facility = 1,
                        .severity = 6,
                        .host = "h",
                        .app = "a",
                        .sd = R"([x@1 p="a]b\x"])",
                        .msg = "m"});
}

TEST(Rfc5424Test, MalformedStructuredData) {
  for (std::string_view bad : {
           R"(<14>1 - h a - - [x@1 p="unterminated] m)",
           R"(<14>1 - h a - - [x@1 p="v" m)",
           R"(<14>1 - h a - - [x@1 p=v] m)",
           R"(<14>1 - h a - - [x@1 p] m)",
           R"(<14>1 - h a - - [] m)",
           R"(<14>1 - h a - - [x@1  p="v"] m)",
           R"(<14>1 - h a - - [x@1 ="v"] m)",
           R"(<14>1 - h a - - [x@1 p="v"]m)",
           R"(<14>1 - h a - - x m)",
           R"(<14>1 - h a - - [x@1 p="\)",
           "<14>1 - h a - -",
       }) {
    ExpectParse(bad, {.facility = 1, .severity = 6, .msg = bad});
  }
}

TEST(Rfc5424Test, SpaceBetweenSdElementsStartsMsg) {
  const std::string_view line = R"(<14>1 - h a - - [x@1] [y@2])";
  ExpectParse(line, {.format = k5424,
                     .facility = 1,
                     .severity = 6,
                     .host = "h",
                     .app = "a",
                     .sd = "[x@1]",
                     .msg = "[y@2]"});
}

TEST(Rfc5424Test, BomOnlyMsgIsEmpty) {
  ExpectParse("<14>1 - h a - - - \xEF\xBB\xBF",
              {.format = k5424, .facility = 1, .severity = 6, .host = "h", .app = "a"});
}

TEST(Rfc5424Test, DashPrefixedValueIsNotNil) {
  ExpectParse("<14>1 - -h -a -1 -m - x", {.format = k5424,
                                          .facility = 1,
                                          .severity = 6,
                                          .host = "-h",
                                          .app = "-a",
                                          .procid = "-1",
                                          .msgid = "-m",
                                          .msg = "x"});
}

TEST(Rfc5424Test, ReceiveTimeDoesNotMatter) {
  const std::string_view line = "<14>1 2003-10-11T22:14:15Z h a - - - x";
  EXPECT_EQ(testing::Parse(line, 0).device_time_ns, testing::Parse(line, kReceive).device_time_ns);
}

}  // namespace
}  // namespace kiroku::syslog

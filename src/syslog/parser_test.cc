// ParseSyslog as a whole: PRI rules, what counts as a parse error, trailing framing bytes,
// binary input, and every truncation of valid messages.
#include "syslog/parser.h"

#include <string>

#include "syslog/parser_test_util.h"

namespace kiroku::syslog {
namespace {

using testing::ExpectParse;
using testing::FieldOf;
using testing::Parse;
using testing::UtcNs;
using namespace std::string_view_literals;

TEST(ParserTest, PriBounds) {
  ExpectParse("<0>", {.format = SyslogFormat::kRfc3164, .facility = 0, .severity = 0});
  ExpectParse("<7>x", {.format = SyslogFormat::kRfc3164, .facility = 0, .severity = 7, .msg = "x"});
  ExpectParse("<191>x",
              {.format = SyslogFormat::kRfc3164, .facility = 23, .severity = 7, .msg = "x"});
  ExpectParse("<13>1 - - - - - -",
              {.format = SyslogFormat::kRfc5424, .facility = 1, .severity = 5});
}

TEST(ParserTest, InvalidPriIsAnErrorWithoutFacility) {
  for (std::string_view bad :
       {"<>"sv, "<>x"sv, "<192>x"sv, "<999>x"sv, "<1000>x"sv, "<00>x"sv, "<01>x"sv, "<013>x"sv,
        "<-1>x"sv, "<1a>x"sv, "<13"sv, "<"sv, "13>x"sv, " <13>x"sv, "<13 >x"sv,
        "\xEF\xBB\xBF<13>x"sv, "garbage"sv, "Nov 26 14:30:00 host app: no PRI"sv}) {
    ExpectParse(bad, {.msg = bad});
  }
}

TEST(ParserTest, EmptyInput) {
  ExpectParse("", {});
  ExpectParse("\n", {});
  ExpectParse("\r\n\0"sv, {});
}

TEST(ParserTest, MalformedHeaderKeepsValidPri) {
  const std::string_view line = "<165>1 2003-10-11T22:14:15.003Z host";
  ExpectParse(line, {.facility = 20, .severity = 5, .msg = line});
}

TEST(ParserTest, TrailingNewlineCarriageReturnAndNulAreNotMessage) {
  ExpectParse("<13>Nov 26 14:30:00 h a: m\r\n\0\0"sv, {.format = SyslogFormat::kRfc3164,
                                                       .facility = 1,
                                                       .severity = 5,
                                                       .time = UtcNs(2026, 11, 26, 14, 30, 0),
                                                       .host = "h",
                                                       .app = "a",
                                                       .msg = "m"});
  ExpectParse("<14>1 - h a - - - m\n\n", {.format = SyslogFormat::kRfc5424,
                                          .facility = 1,
                                          .severity = 6,
                                          .host = "h",
                                          .app = "a",
                                          .msg = "m"});
  // Only at the end: a newline inside the message stays.
  ExpectParse("<13>Nov 26 14:30:00 h a: one\ntwo\n", {.format = SyslogFormat::kRfc3164,
                                                      .facility = 1,
                                                      .severity = 5,
                                                      .time = UtcNs(2026, 11, 26, 14, 30, 0),
                                                      .host = "h",
                                                      .app = "a",
                                                      .msg = "one\ntwo"});
  const std::string_view bad = "not syslog\r\n";
  ExpectParse(bad, {.msg = "not syslog"});
}

TEST(ParserTest, NulBytesAndInvalidUtf8AreJustBytes) {
  const std::string_view line = "<13>Nov 26 14:30:00 h a: \0bin\xFF\xFE\xC3("sv;
  ExpectParse(line, {.format = SyslogFormat::kRfc3164,
                     .facility = 1,
                     .severity = 5,
                     .time = UtcNs(2026, 11, 26, 14, 30, 0),
                     .host = "h",
                     .app = "a",
                     .msg = "\0bin\xFF\xFE\xC3("sv});
  const std::string_view nul_in_pri = "<1\0>x"sv;
  ExpectParse(nul_in_pri, {.msg = nul_in_pri});
  const std::string_view nul_in_5424 = "<14>1 - h\0 a - - - m"sv;
  ExpectParse(nul_in_5424, {.facility = 1, .severity = 6, .msg = nul_in_5424});
}

// Invariants that hold for any input; the fuzzer checks the same.
void ExpectConsistent(std::string_view raw, const SyslogHeader& h) {
  std::string_view trimmed = raw;
  while (!trimmed.empty() &&
         (trimmed.back() == '\n' || trimmed.back() == '\r' || trimmed.back() == '\0')) {
    trimmed.remove_suffix(1);
  }
  for (Span s : {h.host, h.app, h.procid, h.msgid, h.structured_data, h.msg}) {
    ASSERT_LE(uint64_t{s.off} + s.len, trimmed.size());
    if (s.len == 0) {
      ASSERT_EQ(s, Span{});
    }
  }
  ASSERT_EQ(h.parse_error, h.format == SyslogFormat::kUnknown);
  ASSERT_EQ(h.facility < 0, h.severity < 0);
  ASSERT_LE(h.facility, 23);
  if (h.parse_error) {
    ASSERT_EQ(h.msg, (Span{0, static_cast<uint32_t>(trimmed.size())}));
    for (Span s : {h.host, h.app, h.procid, h.msgid, h.structured_data}) {
      ASSERT_TRUE(s.empty());
    }
    ASSERT_FALSE(h.device_time_ns.has_value());
  } else {
    ASSERT_GE(h.facility, 0);
  }
  if (h.device_time_zone_known) {
    ASSERT_TRUE(h.device_time_ns.has_value());
  }
}

// Every prefix of a valid message either parses (as some layout) or is a clean parse error,
// never reads past the end (ASan build), and a prefix that stops inside a timestamp is an error.
TEST(ParserTest, EveryPrefixOfValidMessages) {
  constexpr std::string_view kWithSd =
      "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 "
      "iut=\"3\" eventSource=\"Application\" eventID=\"1011\"][examplePriority@32473 "
      "class=\"h\\\"i\\]gh\"] \xEF\xBB\xBFmsg";
  const std::string_view messages[] = {
      "<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - \xEF\xBB\xBF'su root'",
      kWithSd,
      "<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It's time",
      "<34>Oct 11 22:14:15 mymachine su: 'su root' failed",
      "<13>Nov  6 14:37:41.123 2026 vm myapp[7489]: with pid",
      "<86>2026-11-26T23:30:00.123456+09:00 web01 sshd[2211]: Accepted",
      "<189>123: router1: *Mar  1 00:00:00.123 UTC: %LINK-3-UPDOWN: Interface Gi0/1",
      "<189>: 2026 Nov 26 14:30:00 UTC: %ETHPORT-5-IF_UP: Interface Ethernet1/5",
      "<166>Nov 26 2026 14:30:00: %ASA-6-302013: Built outbound",
      "<189>45: 1d02h: %SYS-5-CONFIG_I: Configured",
      "<4>kernel: [12345.678] eth0: link up",
  };
  for (std::string_view full : messages) {
    ASSERT_FALSE(Parse(full).parse_error) << full;
    for (size_t n = 0; n <= full.size(); ++n) {
      // A heap copy of exactly n bytes, so ASan catches a read one past the end.
      const std::string copy(full.substr(0, n));
      const std::string_view prefix(copy.data(), copy.size());
      SCOPED_TRACE(copy);
      const SyslogHeader h = Parse(prefix);
      ExpectConsistent(prefix, h);
      if (n < 3) {
        EXPECT_TRUE(h.parse_error);
      }
    }
  }
  // Cut inside the timestamp: the header committed to a layout and is now broken.
  for (std::string_view cut : {"<34>Oct 11 22:1"sv, "<34>1 2003-10-11T22:14"sv,
                               "<189>123: *Mar  1 00:0"sv, "<86>2026-11-26T23:3"sv}) {
    EXPECT_TRUE(Parse(cut).parse_error) << cut;
  }
}

TEST(ParserTest, GarbageNeverBreaksInvariants) {
  // A cheap deterministic byte soup biased towards syslog punctuation.
  const char alphabet[] = "<>0123456789 :-.T+Z[]=\"\\*%NovMarJan\n\r\0\xEF\xBB\xBF";
  uint64_t state = 0x9E3779B97F4A7C15u;
  std::string line;
  for (int i = 0; i < 200'000; ++i) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    line.assign(state % 5 == 0 ? "" : "<13>");
    const size_t len = state >> 58;
    for (size_t j = 0; j < len; ++j) {
      state ^= state << 13;
      state ^= state >> 7;
      state ^= state << 17;
      line.push_back(alphabet[state % (sizeof alphabet - 1)]);
    }
    const SyslogHeader h = Parse(line);
    ExpectConsistent(line, h);
    if (::testing::Test::HasFatalFailure()) {
      ADD_FAILURE() << "input: " << line;
      return;
    }
  }
}

TEST(ParserTest, SpansPointIntoRawNotACopy) {
  const std::string raw = "<13>Nov 26 14:30:00 host app[1]: text";
  const SyslogHeader h = Parse(raw);
  EXPECT_EQ(h.host, (Span{20, 4}));
  EXPECT_EQ(h.app, (Span{25, 3}));
  EXPECT_EQ(h.procid, (Span{29, 1}));
  EXPECT_EQ(h.msg, (Span{33, 4}));
  EXPECT_EQ(FieldOf(raw, h.msg), "text");
}

}  // namespace
}  // namespace kiroku::syslog

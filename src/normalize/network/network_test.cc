#include "normalize/network/network.h"

#include <gtest/gtest.h>

#include <string>

#include "normalize/testing/kat.h"

namespace kiroku::normalize {
namespace {

using testing::MakeKatRecord;

Event Normalized(const std::string& line, const Config& config = Config()) {
  auto rec = MakeKatRecord(line, "192.0.2.10", 1);
  Event e;
  NormalizeNetwork(Input::From(rec->view), config, &e);
  EXPECT_EQ(e.rejected(), 0) << line;
  return e;
}

TEST(NetworkKat, All) {
  int cases = testing::RunKatFile("network.jsonl", &NormalizeNetwork, &NewNetworkCorrelator);
  EXPECT_EQ(cases, 101);
}

TEST(CefUnescape, Escapes) {
  std::string buf;
  EXPECT_EQ(internal::CefUnescape("plain", &buf), "plain");
  EXPECT_EQ(internal::CefUnescape("a\\=b\\\\c\\|d\\ne\\rf", &buf), "a=b\\c|d\ne\rf");
  EXPECT_EQ(internal::CefUnescape("c:\\temp", &buf), "c:\\temp");  // not an escape: kept
  EXPECT_EQ(internal::CefUnescape("trailing\\", &buf), "trailing\\");
}

TEST(Cef, EscapedEqualsDoesNotStartAKey) {
  Event e = Normalized("CEF:0|V|P|1|2|n|3|msg=x\\=1 y\\=2 src=10.0.0.1");
  EXPECT_EQ(e.Get(Field::kEventReason), "x=1 y=2");
  EXPECT_EQ(e.Get(Field::kSourceIp), "10.0.0.1");
}

TEST(Cef, EscapedBackslashBeforeEqualsEndsTheEscape) {
  // "a\\" is an escaped backslash, so the '=' after "k" is a real separator.
  Event e = Normalized("CEF:0|V|P|1|2|n|3|filePath=C:\\\\dir\\\\ suser=bob");
  EXPECT_EQ(e.Get(Field::kFilePath), "C:\\dir\\");
  EXPECT_EQ(e.Get(Field::kUserName), "bob");
}

TEST(Cef, EmptyExtensionAndTrailingBlanks) {
  Event e = Normalized("CEF:0|V|P|1|2|n|3|");
  EXPECT_EQ(e.Get(Field::kObserverVendor), "V");
  e = Normalized("CEF:0|V|P|1|2|n|3|src=10.0.0.1    dst=10.0.0.2   ");
  EXPECT_EQ(e.Get(Field::kSourceIp), "10.0.0.1");
  EXPECT_EQ(e.Get(Field::kDestinationIp), "10.0.0.2");
}

TEST(Cef, TruncatedLineKeepsWhatIsComplete) {
  // A UDP-truncated record: the last value is cut, the earlier ones are whole.
  Event e = Normalized("CEF:0|V|P|1|2|n|3|src=10.0.0.1 spt=123 dst=10.0.");
  EXPECT_EQ(e.Get(Field::kSourceIp), "10.0.0.1");
  EXPECT_FALSE(e.Has(Field::kDestinationIp));
}

TEST(Netfilter, OddSpacingAndMissingPorts) {
  Event e = Normalized(
      "<4>Nov 26 14:37:42 fw kernel: [    3.141592]    DROP   IN=eth0 OUT= SRC=10.0.0.1  "
      "DST=10.0.0.2 PROTO=TCP");
  EXPECT_EQ(e.Get(Field::kRuleName), "DROP");
  EXPECT_EQ(e.Get(Field::kSourceIp), "10.0.0.1");
  EXPECT_FALSE(e.Has(Field::kSourcePort));
}

TEST(Netfilter, TruncatedBeforeDst) {
  Event e = Normalized("<4>Nov 26 14:37:42 fw kernel: DROP IN=eth0 OUT= SRC=10.0.0.1 DS");
  EXPECT_TRUE(e.empty());
}

TEST(Netfilter, ManyInMarkersStayLinear) {
  // 64 KiB of "IN=" without a blank, then of " OUT=": both must be rejected quickly.
  std::string a = "<4>Nov 26 14:37:42 fw kernel: ";
  for (int i = 0; i < 20000; ++i) a += "IN=";
  a += " OUT= SRC=10.0.0.1 DST=10.0.0.2";
  Event e = Normalized(a);
  EXPECT_EQ(e.Get(Field::kSourceIp), "10.0.0.1");  // "IN=IN=..." is an odd interface name
  EXPECT_FALSE(e.Has(Field::kRuleName));
  std::string b = "<4>Nov 26 14:37:42 fw kernel: ";
  for (int i = 0; i < 12000; ++i) b += " OUT=";
  EXPECT_TRUE(Normalized(b).empty());
}

TEST(Netfilter, CustomPrefixRules) {
  Config c;
  c.AddNetfilterPrefix({"fw-in-ok", "allow", "success"});
  Event e = Normalized(
      "<4>Nov 26 14:37:42 fw kernel: fw-in-ok IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 "
      "PROTO=UDP SPT=1 DPT=2",
      c);
  EXPECT_EQ(e.Get(Field::kEventAction), "allow");
  e = Normalized("<4>Nov 26 14:37:42 fw kernel: DROP IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2", c);
  EXPECT_EQ(e.Get(Field::kEventAction), "log");  // the defaults were replaced
  EXPECT_FALSE(e.Has(Field::kEventOutcome));
}

TEST(Asa, TruncatedMessagesGiveNoAddresses) {
  Event e =
      Normalized("<164>Nov 26 2026 14:37:42: %ASA-4-106023: Deny tcp src outside:198.51.100.7/6");
  EXPECT_EQ(e.Get(Field::kEventCode), "106023");
  EXPECT_FALSE(e.Has(Field::kSourceIp));
  e = Normalized(
      "<166>Nov 26 2026 14:37:42: %ASA-6-302013: Built inbound TCP connection 11 for "
      "outside:10.1.2.1/21647 (10.1.2.1/21647) to insi");
  EXPECT_FALSE(e.Has(Field::kSourceIp));
  e = Normalized("<166>Nov 26 2026 14:37:42: %ASA-6-1061");
  EXPECT_TRUE(e.empty());
}

TEST(Asa, ServiceNameIsNotAPort) {
  Event e = Normalized(
      "<167>Nov 26 2026 14:37:42: %ASA-7-710002: UDP access permitted from "
      "10.0.0.8/51000 to inside:10.0.0.1/snmp");
  EXPECT_EQ(e.Get(Field::kDestinationIp), "10.0.0.1");
  EXPECT_FALSE(e.Has(Field::kDestinationPort));
}

TEST(Leef, TabInsideNoValueAndEmptyDelimiterField) {
  Event e = Normalized("LEEF:2.0|V|P|1|7||src=10.0.0.1\tdst=10.0.0.2");
  EXPECT_EQ(e.Get(Field::kSourceIp), "10.0.0.1");
  EXPECT_EQ(e.Get(Field::kDestinationIp), "10.0.0.2");
  e = Normalized("LEEF:2.0|V|P|1|7|0x7C|src=10.0.0.1|dst=10.0.0.2");  // '|' given as 0x7C
  EXPECT_EQ(e.Get(Field::kDestinationIp), "10.0.0.2");
}

TEST(Fortigate, QuotedValuesWithBlanksAndEscapedQuotes) {
  Event e = Normalized(
      "date=2026-11-26 time=14:37:42 devid=\"F\" logid=\"1\" type=\"event\" "
      "subtype=\"system\" action=\"logout\" user=\"a b\" msg=\"say \\\"hi\\\"\"");
  EXPECT_EQ(e.Get(Field::kUserName), "a b");
  EXPECT_EQ(e.Get(Field::kEventReason), "say \\\"hi\\\"");
}

TEST(Panos, ShortLineIsNotRecognised) {
  Event e =
      Normalized("<14>Nov 26 14:37:42 pa 1,2026/11/26 14:37:42,0011,TRAFFIC,end,2561,x,10.0.0.1");
  EXPECT_TRUE(e.empty());
}

}  // namespace
}  // namespace kiroku::normalize

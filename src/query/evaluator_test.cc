#include "query/evaluator.h"

#include <gtest/gtest.h>

#include "query/internal/test_records.h"
#include "query/parser.h"

namespace kiroku::query {
namespace {

using internal::TestRecord;

constexpr int64_t kNow = internal::kTestNow;

TestRecord Sshd() { return internal::SshdRecord(); }
TestRecord Garbage() { return internal::GarbageRecord(); }

bool Match(std::string_view query, const TestRecord& r) {
  StatusOr<Node> q = ParseQuery(query, kNow);
  EXPECT_TRUE(q.ok()) << query << ": " << q.status().message();
  return q.ok() && Matches(*q, r.view());
}

TEST(EvaluatorTest, BareWordsSearchMessageHostAndApp) {
  TestRecord r = Sshd();
  EXPECT_TRUE(Match("failed", r));
  EXPECT_TRUE(Match("FAILED PASSWORD", r));
  EXPECT_TRUE(Match("\"failed password\"", r));
  EXPECT_TRUE(Match("10.1.2.3", r));
  EXPECT_TRUE(Match("sshd", r));   // process.name
  EXPECT_TRUE(Match("web01", r));  // a part of host.name
  EXPECT_TRUE(Match("example.com", r));
  EXPECT_FALSE(Match("\"password failed\"", r));
  EXPECT_TRUE(Match("10.1.2", r));  // leading parts of 10.1.2.3
  EXPECT_FALSE(Match("10.1.2.30", r));
  EXPECT_FALSE(Match("origin", r));  // structured data is not a default field
  EXPECT_FALSE(Match("ID47", r));
}

TEST(EvaluatorTest, BooleanStructure) {
  TestRecord r = Sshd();
  EXPECT_TRUE(Match("", r));
  EXPECT_TRUE(Match("failed admin", r));
  EXPECT_FALSE(Match("failed accepted", r));
  EXPECT_TRUE(Match("accepted OR failed", r));
  EXPECT_TRUE(Match("NOT accepted", r));
  EXPECT_FALSE(Match("NOT failed", r));
  EXPECT_TRUE(Match("(accepted OR failed) NOT root", r));
  EXPECT_FALSE(Match("accepted OR failed root", r));  // accepted OR (failed AND root)
  EXPECT_FALSE(Match("NOT *", r));
}

TEST(EvaluatorTest, KeywordFieldsMatchWholeValues) {
  TestRecord r = Sshd();
  EXPECT_TRUE(Match("host.name:WEB01.example.com", r));
  EXPECT_FALSE(Match("host.name:web01", r));
  EXPECT_TRUE(Match("host.name:web01*", r));
  EXPECT_TRUE(Match("process.name:(su OR sshd)", r));
  EXPECT_TRUE(Match("log.syslog.msgid:id47", r));
  EXPECT_TRUE(Match("kiroku.transport:udp", r));
  EXPECT_FALSE(Match("kiroku.transport:tcp", r));
}

TEST(EvaluatorTest, TextFields) {
  TestRecord r = Sshd();
  EXPECT_TRUE(Match("message:\"invalid user\"", r));
  EXPECT_FALSE(Match("message:sshd", r));
  EXPECT_TRUE(Match("log.syslog.structured_data:\"ip 192.0.2.10\"", r));
  EXPECT_TRUE(Match("log.syslog.structured_data:origin", r));
  EXPECT_TRUE(Match("event.original:ID47", r));
  EXPECT_TRUE(Match("message:pass*", r));
}

TEST(EvaluatorTest, NumbersAreExact) {
  TestRecord r = Sshd();
  EXPECT_TRUE(Match("process.pid:4242", r));
  EXPECT_FALSE(Match("process.pid:424", r));
  EXPECT_TRUE(Match("log.syslog.severity.code:6", r));
  EXPECT_TRUE(Match("log.syslog.severity.code >= 6", r));
  EXPECT_FALSE(Match("log.syslog.severity.code <= 3", r));
  EXPECT_TRUE(Match("log.syslog.facility.code:[0 TO 4]", r));
  EXPECT_FALSE(Match("log.syslog.facility.code:[0 TO 4}", r));
  EXPECT_TRUE(Match("kiroku.seq:7", r));
  EXPECT_TRUE(Match("log.source.port > 1024", r));
  EXPECT_TRUE(Match("kiroku.original_length < 1000", r));
}

TEST(EvaluatorTest, IpAddressesAndCidr) {
  TestRecord v4 = Sshd();
  EXPECT_TRUE(Match("log.source.address:192.0.2.10", v4));
  EXPECT_TRUE(Match("log.source.address:192.0.2.0/24", v4));
  EXPECT_FALSE(Match("log.source.address:10.0.0.0/8", v4));
  EXPECT_TRUE(Match("log.source.address:::ffff:192.0.2.10", v4));
  EXPECT_TRUE(Match("log.source.address:192.0.*", v4));
  EXPECT_TRUE(Match("log.source.address:[192.0.2.1 TO 192.0.2.20]", v4));
  EXPECT_FALSE(Match("log.source.address:2001:db8::/32", v4));

  TestRecord v6 = Garbage();
  EXPECT_TRUE(Match("log.source.address:2001:db8::/32", v6));
  EXPECT_TRUE(Match("log.source.address:2001:db8::1", v6));
  EXPECT_FALSE(Match("log.source.address:2001:db9::/32", v6));
  EXPECT_FALSE(Match("log.source.address:0.0.0.0/0", v6));

  // A dual-stack socket reports an IPv4 peer as ::ffff:a.b.c.d; it is still in 192.0.2.0/24.
  TestRecord mapped = Sshd();
  mapped.base().peer.family = 6;
  mapped.base().peer.addr = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 10};
  EXPECT_TRUE(Match("log.source.address:192.0.2.0/24", mapped));

  TestRecord none = Sshd();
  none.base().peer.family = 0;
  EXPECT_FALSE(Match("log.source.address:*", none));
  EXPECT_FALSE(Match("log.source.port:*", none));
}

TEST(EvaluatorTest, TimestampFallsBackToReceiveTime) {
  TestRecord r = Sshd();
  EXPECT_TRUE(Match("@timestamp:2026-11-26T14:29:59Z", r));  // device time, within its second
  EXPECT_TRUE(Match("@timestamp < 2026-11-26T14:30:00Z", r));
  EXPECT_TRUE(Match("event.created >= 2026-11-26T14:30:00Z", r));
  EXPECT_TRUE(Match("@timestamp:2026-11-26", r));
  EXPECT_FALSE(Match("@timestamp:2026-11-27", r));
  EXPECT_TRUE(Match("@timestamp >= 1m", r));
  EXPECT_FALSE(Match("@timestamp >= 0s", r));

  TestRecord g = Garbage();  // no device time
  EXPECT_TRUE(Match("@timestamp >= 2026-11-26T14:30:00Z", g));
}

TEST(EvaluatorTest, FlagsAndExistence) {
  TestRecord g = Garbage();
  EXPECT_TRUE(Match("kiroku.parse_error:true kiroku.truncated:true", g));
  EXPECT_TRUE(Match("kiroku.framing_error:false", g));
  EXPECT_TRUE(Match("NOT host.name:*", g));
  EXPECT_TRUE(Match("NOT process.pid:* NOT log.syslog.severity.code:*", g));
  EXPECT_TRUE(Match("kiroku.original_length:9000", g));
  EXPECT_TRUE(Match("index.html http", g));
  EXPECT_TRUE(Match("kiroku.transport:TCP", g));
  TestRecord r = Sshd();
  EXPECT_TRUE(Match("kiroku.parse_error:false host.name:* process.pid:*", r));
}

TEST(EvaluatorTest, NonNumericProcidHasNoPid) {
  TestRecord r("<13>Nov 26 14:30:00 host app[worker-3]: hello");
  r.Set(&SyslogHeader::host, "host")
      .Set(&SyslogHeader::app, "app")
      .Set(&SyslogHeader::procid, "worker-3")
      .Set(&SyslogHeader::msg, "hello");
  EXPECT_FALSE(Match("process.pid:*", r));
  EXPECT_TRUE(Match("hello", r));
}

}  // namespace
}  // namespace kiroku::query

#include "query/parser.h"

#include <gtest/gtest.h>

#include <string>

namespace kiroku::query {
namespace {

constexpr int64_t kNow = 1'795'703'400'000'000'000;  // 2026-11-26T14:30:00Z

std::string Parsed(std::string_view q) {
  StatusOr<Node> n = ParseQuery(q, kNow);
  if (!n.ok()) return "error: " + n.status().message();
  return ToString(*n);
}

std::string Error(std::string_view q) {
  StatusOr<Node> n = ParseQuery(q, kNow);
  if (n.ok()) return "parsed: " + ToString(*n);
  EXPECT_EQ(n.status().code(), Status::Code::kInvalidArgument);
  return n.status().message();
}

TEST(ParserTest, EmptyQueryMatchesEverything) {
  EXPECT_EQ(Parsed(""), "*");
  EXPECT_EQ(Parsed("  \t "), "*");
  EXPECT_EQ(Parsed("*"), "*");
}

TEST(ParserTest, ImplicitAndBetweenAdjacentTerms) {
  EXPECT_EQ(Parsed("failed password"), R"((AND ~"failed" ~"password"))");
  EXPECT_EQ(Parsed("a AND b AND c"), R"((AND ~"a" ~"b" ~"c"))");
  EXPECT_EQ(Parsed("a b AND c"), R"((AND ~"a" ~"b" ~"c"))");
}

TEST(ParserTest, PrecedenceNotThenAndThenOr) {
  EXPECT_EQ(Parsed("a OR b c"), R"((OR ~"a" (AND ~"b" ~"c")))");
  EXPECT_EQ(Parsed("a b OR c"), R"((OR (AND ~"a" ~"b") ~"c"))");
  EXPECT_EQ(Parsed("a OR b AND c OR d"), R"((OR ~"a" (AND ~"b" ~"c") ~"d"))");
  EXPECT_EQ(Parsed("NOT a b"), R"((AND (NOT ~"a") ~"b"))");
  EXPECT_EQ(Parsed("NOT a OR b"), R"((OR (NOT ~"a") ~"b"))");
  EXPECT_EQ(Parsed("NOT NOT a"), R"((NOT (NOT ~"a")))");
}

TEST(ParserTest, OperatorsAreCaseInsensitive) {
  EXPECT_EQ(Parsed("a and b or not c"), R"((OR (AND ~"a" ~"b") (NOT ~"c")))");
  EXPECT_EQ(Parsed("a And b Or Not c"), R"((OR (AND ~"a" ~"b") (NOT ~"c")))");
}

TEST(ParserTest, Parentheses) {
  EXPECT_EQ(Parsed("(a OR b) c"), R"((AND (OR ~"a" ~"b") ~"c"))");
  EXPECT_EQ(Parsed("NOT (a OR b)"), R"((NOT (OR ~"a" ~"b")))");
  EXPECT_EQ(Parsed("((a))"), R"(~"a")");
  EXPECT_EQ(Parsed("a (b OR (c d))"), R"((AND ~"a" (OR ~"b" (AND ~"c" ~"d"))))");
}

TEST(ParserTest, BareWordsAreTokenizedLikeMessages) {
  EXPECT_EQ(Parsed("Failed"), R"(~"failed")");
  EXPECT_EQ(Parsed("10.1.2.3"), R"(~"10.1.2.3")");
  EXPECT_EQ(Parsed("10.1.2.3:443"), R"(~"10.1.2.3:443")");
  EXPECT_EQ(Parsed("alice@example.com"), R"(~"alice@example.com")");
  EXPECT_EQ(Parsed("closed."), R"(~"closed")");
  // A word with separators inside is a phrase of its tokens.
  EXPECT_EQ(Parsed("user=root"), R"(~"user root")");
  EXPECT_EQ(Parsed("/var/log/messages"), R"(~"var log messages")");
  // IPv6 addresses are words, not `field:` (fe80 is no field).
  EXPECT_EQ(Parsed("fe80::1"), R"(~"fe80::1")");
  EXPECT_EQ(Parsed("2001:db8::1"), R"(~"2001:db8::1")");
}

TEST(ParserTest, Phrases) {
  EXPECT_EQ(Parsed(R"("Failed Password")"), R"(~"failed password")");
  EXPECT_EQ(Parsed(R"("Failed password" root)"), R"((AND ~"failed password" ~"root"))");
  EXPECT_EQ(Parsed(R"(message:"invalid user")"), R"(message~"invalid user")");
  EXPECT_EQ(Parsed(R"(host.name:"Web 01")"), R"(host.name="web 01")");
  EXPECT_EQ(Parsed(R"("AND")"), R"(~"and")");
  // '*' inside quotes is literal: on a keyword it is part of the value.
  EXPECT_EQ(Parsed(R"(host.name:"web*")"), R"(host.name="web*")");
}

TEST(ParserTest, Escapes) {
  EXPECT_EQ(Parsed(R"(foo\ bar)"), R"(~"foo bar")");
  EXPECT_EQ(Parsed(R"("say \"hi\" \\ now")"), R"(~"say hi now")");
  EXPECT_EQ(Parsed(R"(host.name:"a\"b")"), R"(host.name="a\"b")");
  EXPECT_EQ(Parsed(R"(host.name:web\*01)"), R"(host.name="web*01")");
  EXPECT_EQ(Parsed(R"(\AND)"), R"(~"and")");
  EXPECT_EQ(Parsed(R"(user\:root)"), R"(~"user:root")");
  EXPECT_EQ(Parsed(R"(process.name:pam\(x\))"), "process.name=\"pam(x)\"");
}

TEST(ParserTest, FieldValues) {
  EXPECT_EQ(Parsed("host.name:Web01"), R"(host.name="web01")");
  EXPECT_EQ(Parsed("host.name: web01"), R"(host.name="web01")");
  EXPECT_EQ(Parsed("process.pid:4242"), "process.pid=4242");
  EXPECT_EQ(Parsed("kiroku.seq:-1"), "kiroku.seq=-1");
  EXPECT_EQ(Parsed("kiroku.truncated:true"), "kiroku.truncated=true");
  EXPECT_EQ(Parsed("kiroku.parse_error:FALSE"), "kiroku.parse_error=false");
  EXPECT_EQ(Parsed("kiroku.transport:udp"), R"(kiroku.transport="udp")");
  EXPECT_EQ(Parsed("message:not"), R"(message~"not")");
  EXPECT_EQ(Parsed("message:error:"), R"(message~"error")");
  EXPECT_EQ(Parsed("log.syslog.msgid:ID47 sshd"), R"((AND log.syslog.msgid="id47" ~"sshd"))");
}

TEST(ParserTest, Exists) {
  EXPECT_EQ(Parsed("message:*"), "message:*");
  EXPECT_EQ(Parsed("NOT process.pid:*"), "(NOT process.pid:*)");
  EXPECT_EQ(Parsed("log.source.address:*"), "log.source.address:*");
}

TEST(ParserTest, Wildcards) {
  EXPECT_EQ(Parsed("adm*"), R"(~"adm*")");
  EXPECT_EQ(Parsed("ADM*"), R"(~"adm*")");
  EXPECT_EQ(Parsed("10.0.*"), R"(~"10.0.*")");
  EXPECT_EQ(Parsed("foo-*"), R"(~"foo-*")");
  EXPECT_EQ(Parsed("user=ro*"), R"(~"user ro*")");
  EXPECT_EQ(Parsed("host.name:web*"), R"(host.name="web"*)");
  EXPECT_EQ(Parsed("message:fail*"), R"(message~"fail*")");
  EXPECT_EQ(Parsed("log.source.address:10.0.*"), R"(log.source.address="10.0."*)");
}

TEST(ParserTest, CidrV4AndV6) {
  EXPECT_EQ(Parsed("log.source.address:10.0.0.0/8"),
            "log.source.address:[10.0.0.0 TO 10.255.255.255]");
  EXPECT_EQ(Parsed("log.source.address:10.1.0.0/8"),
            "log.source.address:[10.0.0.0 TO 10.255.255.255]");
  EXPECT_EQ(Parsed("log.source.address:192.0.2.7/32"), "log.source.address=192.0.2.7");
  EXPECT_EQ(Parsed("log.source.address:0.0.0.0/0"),
            "log.source.address:[0.0.0.0 TO 255.255.255.255]");
  EXPECT_EQ(Parsed("log.source.address:192.0.2.1"), "log.source.address=192.0.2.1");
  EXPECT_EQ(Parsed("log.source.address:2001:db8::/32"),
            "log.source.address:[2001:db8:: TO 2001:db8:ffff:ffff:ffff:ffff:ffff:ffff]");
  EXPECT_EQ(Parsed("log.source.address:2001:DB8::1"), "log.source.address=2001:db8::1");
  EXPECT_EQ(Parsed("log.source.address:::ffff:10.1.2.3"), "log.source.address=10.1.2.3");
  EXPECT_EQ(Parsed("log.source.address:(10.0.0.1 OR fe80::1)"),
            "(OR log.source.address=10.0.0.1 log.source.address=fe80::1)");
}

TEST(ParserTest, NumericRanges) {
  const std::string sev = "log.syslog.severity.code";
  EXPECT_EQ(Parsed(sev + " <= 3"), sev + ":[* TO 3]");
  EXPECT_EQ(Parsed(sev + "<3"), sev + ":[* TO 2]");
  EXPECT_EQ(Parsed(sev + " > 3"), sev + ":[4 TO *]");
  EXPECT_EQ(Parsed(sev + ">=3"), sev + ":[3 TO *]");
  EXPECT_EQ(Parsed(sev + ":>=3"), sev + ":[3 TO *]");
  EXPECT_EQ(Parsed(sev + ":[2 TO 4]"), sev + ":[2 TO 4]");
  EXPECT_EQ(Parsed(sev + ":{2 TO 4}"), sev + "=3");
  EXPECT_EQ(Parsed(sev + ":[2 to *]"), sev + ":[2 TO *]");
  EXPECT_EQ(Parsed(sev + ":{4 TO 4}"), sev + ":[9223372036854775807 TO -9223372036854775808]");
  EXPECT_EQ(Parsed(sev + ":(<2 OR 7)"), "(OR " + sev + ":[* TO 1] " + sev + "=7)");
  EXPECT_EQ(Parsed("kiroku.seq > 9223372036854775807"),
            "kiroku.seq:[9223372036854775807 TO -9223372036854775808]");
}

TEST(ParserTest, TimeValuesCoverWhatTheyName) {
  EXPECT_EQ(Parsed("@timestamp >= 2026-11-26T14:00:00Z"),
            "@timestamp:[2026-11-26T14:00:00.000000000Z TO *]");
  EXPECT_EQ(Parsed("@timestamp > 2026-11-26T14:00:00Z"),
            "@timestamp:[2026-11-26T14:00:01.000000000Z TO *]");
  EXPECT_EQ(Parsed("@timestamp < 2026-11-26T23:00:00+09:00"),
            "@timestamp:[* TO 2026-11-26T13:59:59.999999999Z]");
  EXPECT_EQ(Parsed("@timestamp:2026-11-26"),
            "@timestamp:[2026-11-26T00:00:00.000000000Z TO 2026-11-26T23:59:59.999999999Z]");
  EXPECT_EQ(Parsed("@timestamp <= 2026-11-26"), "@timestamp:[* TO 2026-11-26T23:59:59.999999999Z]");
  EXPECT_EQ(Parsed("@timestamp:\"2026-11-26T14:30:00.5Z\""),
            "@timestamp:[2026-11-26T14:30:00.500000000Z TO 2026-11-26T14:30:00.599999999Z]");
  EXPECT_EQ(Parsed("event.created:[2026-11-26 TO 2026-11-27}"),
            "event.created:[2026-11-26T00:00:00.000000000Z TO 2026-11-26T23:59:59.999999999Z]");
  EXPECT_EQ(Parsed("@timestamp >= 15m"), "@timestamp:[2026-11-26T14:15:00.000000000Z TO *]");
  EXPECT_EQ(Parsed("@timestamp:[now-1h TO now]"),
            "@timestamp:[2026-11-26T13:30:00.000000000Z TO 2026-11-26T14:30:00.000000000Z]");
}

TEST(ParserTest, FieldGroups) {
  EXPECT_EQ(Parsed("host.name:(web01 OR db*)"), R"((OR host.name="web01" host.name="db"*))");
  EXPECT_EQ(Parsed("host.name:(a b)"), R"((AND host.name="a" host.name="b"))");
  EXPECT_EQ(Parsed("message:(failed NOT root)"), R"((AND message~"failed" (NOT message~"root")))");
  EXPECT_EQ(Parsed("message:(failed OR (invalid user))"),
            R"((OR message~"failed" (AND message~"invalid" message~"user")))");
  EXPECT_EQ(Parsed("process.name:(sshd OR su) failed"),
            R"((AND (OR process.name="sshd" process.name="su") ~"failed"))");
}

struct BadQuery {
  const char* query;
  const char* error;
};

TEST(ParserTest, ErrorsNameTheColumn) {
  const BadQuery cases[] = {
      {"(a", "query: column 3: expected ')'"},
      {"a)", "query: column 2: unexpected ')'"},
      {"a AND", "query: column 6: expected a term after AND"},
      {"a OR OR b", "query: column 6: expected a term after OR"},
      {"NOT", "query: column 4: expected a term after NOT"},
      {"AND a", "query: column 1: expected a term before AND"},
      {"()", "query: column 2: expected a term inside '( )'"},
      {"a \"abc", "query: column 3: unterminated quote"},
      {"fo*o", "query: column 3: '*' is only allowed at the end of a word"},
      {"*foo", "query: column 1: '*' is only allowed at the end of a word"},
      {"a\\", "query: column 2: '\\' at the end of the query"},
      {"user:root",
       "query: column 1: unknown field 'user' (to search for text containing ':', put it in "
       "quotes)"},
      {"log.syslog.severity.code:abc",
       "query: column 26: 'abc' is not an integer (log.syslog.severity.code is an integer "
       "field)"},
      {"log.source.address:10.0.0.0/33",
       "query: column 20: '10.0.0.0/33' is not an IP address or CIDR prefix "
       "(log.source.address is an IP field)"},
      {"log.source.address:300.1.1.1",
       "query: column 20: '300.1.1.1' is not an IP address or CIDR prefix "
       "(log.source.address is an IP field)"},
      {"host.name:", "query: column 11: expected a value after 'host.name:'"},
      {"host.name <= 3",
       "query: column 11: '<=' needs an integer, time or IP field; host.name is keyword"},
      {"message:[a TO b]",
       "query: column 9: a range needs an integer, time or IP field; message is text"},
      {">= 3", "query: column 1: expected a field name before '>='"},
      {"process.pid >", "query: column 14: expected a value after '>'"},
      {"process.pid:[1 TO", "query: column 18: expected an upper bound after 'TO'"},
      {"process.pid:[1 2]", "query: column 16: expected 'TO'"},
      {"process.pid:[1 TO 2", "query: column 20: expected ']' or '}'"},
      {"process.pid:4*",
       "query: column 13: '*' needs a text, keyword or IP field; process.pid is integer: use a "
       "range"},
      {"kiroku.truncated:maybe", "query: column 18: 'maybe' is not true or false"},
      {"@timestamp >= 2026-11-26T14:00:00",
       "query: column 15: '2026-11-26T14:00:00' is not a time (no zone: add Z for UTC or an "
       "offset such as +09:00); use 2026-11-26T14:00:00Z, 2026-11-26T14:00:00+09:00, 2026-11-26, "
       "or 15m, 2h, 7d, now"},
      {"message:\"!!!\"",
       "query: column 9: nothing to search for in '!!!': words are made of letters and digits"},
      {"a - b",
       "query: column 3: nothing to search for in '-': words are made of letters and digits"},
      {"foo/*", "query: column 1: '*' must follow a letter or digit"},
      {"host.name:\"\"",
       "query: column 11: empty value; to find records without host.name write NOT "
       "host.name:*"},
      {"ログ (a", "query: column 6: expected ')'"},
  };
  for (const BadQuery& c : cases) {
    EXPECT_EQ(Error(c.query), c.error) << c.query;
  }
}

TEST(ParserTest, DeepNestingIsAnErrorNotACrash) {
  std::string deep(10000, '(');
  EXPECT_EQ(Error(deep), "query: column 101: query nested too deeply");
  std::string nots;
  for (int i = 0; i < 5000; ++i) nots += "NOT ";
  nots += "a";
  EXPECT_EQ(Error(nots), "query: column 401: query nested too deeply");
  // Long flat chains are fine: they become one n-ary node.
  std::string flat;
  for (int i = 0; i < 5000; ++i) flat += "a OR ";
  flat += "b";
  EXPECT_TRUE(ParseQuery(flat, kNow).ok());
}

}  // namespace
}  // namespace kiroku::query

namespace kiroku::query {
namespace {

// Issue 5 asks for precedence and escaping coverage: the mixed cases an investigator types.
TEST(ParserTest, PrecedenceMixedWithFieldsAndGroups) {
  EXPECT_EQ(Parsed("host.name:a OR host.name:b process.name:c"),
            R"((OR host.name="a" (AND host.name="b" process.name="c")))");
  EXPECT_EQ(Parsed("NOT host.name:a OR b"), R"((OR (NOT host.name="a") ~"b"))");
  EXPECT_EQ(Parsed("a NOT b OR c"), R"((OR (AND ~"a" (NOT ~"b")) ~"c"))");
  EXPECT_EQ(Parsed("NOT (a b) c"), R"((AND (NOT (AND ~"a" ~"b")) ~"c"))");
  EXPECT_EQ(Parsed("a OR NOT b"), R"((OR ~"a" (NOT ~"b")))");
  EXPECT_EQ(Parsed("a or b and not c"), R"((OR ~"a" (AND ~"b" (NOT ~"c"))))");
}

TEST(ParserTest, EscapedOperatorsAndSpecialsAreWords) {
  EXPECT_EQ(Parsed(R"(\OR)"), R"(~"or")");
  EXPECT_EQ(Parsed(R"(\NOT a)"), R"((AND ~"not" ~"a"))");
  EXPECT_EQ(Parsed(R"(a \OR b)"), R"((AND ~"a" ~"or" ~"b"))");
  EXPECT_EQ(Parsed(R"("a OR b")"), R"(~"a or b")");
  EXPECT_EQ(Parsed(R"(\(a\))"), R"(~"a")");
  EXPECT_EQ(Parsed(R"(adm\*)"), R"(~"adm")");  // a literal '*' separates, as in a message
  EXPECT_EQ(Parsed(R"(adm*)"), R"(~"adm*")");  // the prefix
}

}  // namespace
}  // namespace kiroku::query

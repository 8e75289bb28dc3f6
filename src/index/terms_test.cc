#include "index/terms.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "query/internal/test_record.h"

namespace kiroku::index {
namespace {

using query::internal::TestRecord;
using ::testing::Contains;
using ::testing::IsSupersetOf;
using ::testing::Not;
using ::testing::UnorderedElementsAreArray;

std::string K(std::string_view field, std::string_view value) {
  std::string k(field);
  k.push_back('\0');
  k.append(value);
  return k;
}

std::vector<std::string> Keys(const RecordView& r, const normalize::Event* e = nullptr) {
  TermCollector c;
  AppendRecordTerms(r, e, &c);
  return c.Take();
}

std::vector<std::string> TextKeys(std::string_view field, std::vector<std::string> keys) {
  std::vector<std::string> out;
  std::string prefix = K(field, "");
  for (const std::string& k : keys) {
    if (k.starts_with(prefix)) out.push_back(k.substr(prefix.size()));
  }
  return out;
}

TEST(TermCollectorTest, KeepsDistinctKeysAndEmptiesOnTake) {
  TermCollector c;
  c.Add(K("g", "b"));
  c.Add(K("g", "a"));
  c.Add(K("g", "b"));
  c.AddFieldValue("f", "v");
  c.Add(K("f", "v"));
  c.Add(PresenceKey("f"));
  c.AddPresence("f");
  c.Add("no separator");
  EXPECT_EQ(c.size(), 4u);
  EXPECT_THAT(c.Take(),
              UnorderedElementsAreArray({K("g", "b"), K("g", "a"), K("f", "v"), PresenceKey("f")}));
  EXPECT_EQ(c.size(), 0u);
  c.Add(K("g", "a"));
  std::vector<std::string> reused = {"old", "keys", "here"};
  c.TakeInto(&reused);
  EXPECT_EQ(reused, std::vector<std::string>{K("g", "a")});
  EXPECT_EQ(c.size(), 0u);
}

TEST(TermCollectorTest, GrowsPastItsFirstTable) {
  TermCollector c;
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < 100000; ++i) c.AddFieldValue("f", "key" + std::to_string(i));
  }
  std::vector<std::string> keys = c.Take();
  ASSERT_EQ(keys.size(), 100000u);
  EXPECT_EQ(std::set<std::string>(keys.begin(), keys.end()).size(), 100000u);
}

TEST(TermsTest, TextRunsAreOneToFourPartsOfEachTokenLowerCased) {
  TermCollector c;
  c.AddTextRuns("_text", "From 10.1.2.3:443 OK.");
  EXPECT_THAT(
      TextKeys("_text", c.Take()),
      UnorderedElementsAreArray({"from", "10", "10.1", "10.1.2", "10.1.2.3", "1", "1.2", "1.2.3",
                                 "1.2.3:443", "2", "2.3", "2.3:443", "3", "3:443", "443", "ok"}));
}

TEST(TermsTest, RunsKeepRepeatedJoinersAndBytesAbove0x80) {
  TermCollector c;
  c.AddTextRuns("_text", "2001:db8::1 ログ-X");
  EXPECT_THAT(TextKeys("_text", c.Take()),
              UnorderedElementsAreArray({"2001", "2001:db8", "2001:db8::1", "db8", "db8::1", "1",
                                         "ログ", "ログ-x", "x"}));
}

TEST(TermsTest, LongRunsAreCutToTheLimit) {
  std::string part(100, 'A');
  TermCollector c;
  c.AddTextRuns("f", part + ".b");
  std::string cut(kMaxTextRunBytes, 'a');
  EXPECT_THAT(TextKeys("f", c.Take()), UnorderedElementsAreArray({cut, std::string("b")}));
  EXPECT_EQ(TextKey("f", std::string(100, 'a')), K("f", cut));
}

TEST(TermsTest, RecordFieldsGiveKeywordIntIpPresenceAndBareTextKeys) {
  TestRecord t("<34>1 2026-11-26T14:30:00Z Web01.example.com sshd 42 ID47 - Failed password");
  t.Set(&SyslogHeader::host, "Web01.example.com")
      .Set(&SyslogHeader::app, "sshd")
      .Set(&SyslogHeader::procid, "42")
      .Set(&SyslogHeader::msgid, "ID47")
      .Set(&SyslogHeader::msg, "Failed password");
  t.base().header.facility = 4;
  t.base().header.severity = 2;
  std::vector<std::string> keys = Keys(t.view());
  query::IpAddress loopback = *query::ParseIpAddress("127.0.0.1");
  EXPECT_THAT(keys, IsSupersetOf({
                        K("host.name", "web01.example.com"),
                        PresenceKey("host.name"),
                        K("process.name", "sshd"),
                        K("log.syslog.msgid", "id47"),
                        K("log.syslog.procid", "42"),
                        IntKey("process.pid", 42),
                        IntKey("log.syslog.severity.code", 2),
                        IntKey("log.syslog.facility.code", 4),
                        IpKey("log.source.address", loopback),
                        IntKey("log.source.port", 51234),
                        K("kiroku.transport", "udp"),
                        PresenceKey("message"),
                        K("_text", "failed"),
                        K("_text", "password"),
                        K("_text", "web01"),
                        K("_text", "example.com"),
                        K("_text", "sshd"),
                    }));
  // Not indexed: the raw line, the length, the seq; always-present fields have no presence key;
  // false booleans have no key.
  EXPECT_THAT(keys, Not(Contains(K("event.original", "failed"))));
  EXPECT_THAT(keys, Not(Contains(PresenceKey("kiroku.seq"))));
  EXPECT_THAT(keys, Not(Contains(K("kiroku.truncated", "true"))));
  EXPECT_THAT(keys, Not(Contains(K("message", "failed"))));
  for (const std::string& k : keys) {
    EXPECT_FALSE(k.starts_with("kiroku.original_length")) << k;
    EXPECT_FALSE(k.starts_with("@timestamp")) << k;
  }
}

TEST(TermsTest, TrueBooleansAreIndexed) {
  TestRecord t("<34>garbage");
  t.Set(&SyslogHeader::msg, "<34>garbage");
  t.base().flags = kFlagTruncated | kFlagParseError;
  std::vector<std::string> keys = Keys(t.view());
  EXPECT_THAT(keys, IsSupersetOf({K("kiroku.truncated", "true"), K("kiroku.parse_error", "true")}));
  EXPECT_THAT(keys, Not(Contains(K("kiroku.framing_error", "true"))));
  EXPECT_THAT(keys, Not(Contains(PresenceKey("host.name"))));
}

TEST(TermsTest, NormalisedFieldsByType) {
  TestRecord t("<34>1 - - - - - x");
  t.Set(&SyslogHeader::msg, "x");
  normalize::Event e;
  e.Add(normalize::Field::kSourceIp, "10.1.2.3");
  e.Add(normalize::Field::kDestinationIp, "2001:db8::1");
  e.Add(normalize::Field::kUserName, "Alice");
  e.Add(normalize::Field::kEmailToAddress, "a@example.com");
  e.Add(normalize::Field::kEmailToAddress, "B@example.com");
  e.Add(normalize::Field::kDestinationPort, "443");
  e.Add(normalize::Field::kSourcePort, "51514");
  e.Add(normalize::Field::kSourceBytes, "1234");
  e.Add(normalize::Field::kEventReason, "Deny TCP src");
  e.Add(normalize::Field::kKirokuAdmin, "true");
  std::vector<std::string> keys = Keys(t.view(), &e);
  EXPECT_THAT(keys, IsSupersetOf({
                        IpKey("source.ip", *query::ParseIpAddress("10.1.2.3")),
                        IpKey("destination.ip", *query::ParseIpAddress("2001:db8::1")),
                        K("user.name", "alice"),
                        K("email.to.address", "a@example.com"),
                        K("email.to.address", "b@example.com"),
                        IntKey("destination.port", 443),
                        K("event.reason", "deny"),
                        K("event.reason", "tcp"),
                        K("kiroku.admin", "true"),
                        PresenceKey("source.bytes"),
                        PresenceKey("source.port"),
                        PresenceKey("user.name"),
                    }));
  EXPECT_THAT(keys, Not(Contains(IntKey("source.bytes", 1234))));
  EXPECT_THAT(keys, Not(Contains(IntKey("source.port", 51514))));
  EXPECT_THAT(keys, Not(Contains(K("_text", "alice"))));
}

TEST(TermsTest, IntKeysSortAsNumbers) {
  std::vector<int64_t> v = {INT64_MIN, -1000, -1, 0, 1, 255, 256, 1000, INT64_MAX};
  for (size_t i = 0; i + 1 < v.size(); ++i) {
    EXPECT_LT(IntKey("f", v[i]), IntKey("f", v[i + 1])) << v[i];
    std::string bytes;
    AppendIntBytes(v[i], &bytes);
    EXPECT_EQ(IntFromBytes(bytes), v[i]);
  }
}

TEST(TermsTest, PresenceSortsAfterEveryValueOfItsField) {
  EXPECT_LT(K("f", std::string(300, '\xff')), PresenceKey("f"));
  EXPECT_LT(PresenceKey("f"), K("f.x", ""));
}

TEST(TermsTest, IndexInfoListsWhatIsNotIndexed) {
  nlohmann::json j = nlohmann::json::parse(IndexInfo("{\"admins\":[]}"));
  EXPECT_EQ(j["version"], kIndexVersion);
  EXPECT_EQ(j["text_field"], "_text");
  EXPECT_THAT(j["not_indexed"].get<std::vector<std::string>>(),
              IsSupersetOf({"event.original", "kiroku.original_length", "source.bytes",
                            "destination.bytes", "network.bytes", "http.response.bytes",
                            "source.port", "kiroku.ntp.offset_us"}));
  EXPECT_THAT(j["indexed"].get<std::vector<std::string>>(),
              IsSupersetOf({"message", "host.name", "source.ip", "@timestamp", "kiroku.seq"}));
  EXPECT_NE(j["normalize_settings_hash"],
            nlohmann::json::parse(IndexInfo("{}"))["normalize_settings_hash"]);
}

}  // namespace
}  // namespace kiroku::index

namespace kiroku::index {
namespace {

TEST(TermCollectorTest, EveryBlockGetsItsOwnRunsAndPresenceKeys) {
  query::internal::TestRecord t("<34>1 - web01 - - - - a.b.c");
  t.Set(&SyslogHeader::host, "web01").Set(&SyslogHeader::msg, "a.b.c");
  TermCollector c;
  for (int block = 0; block < 2; ++block) {
    AppendRecordTerms(t.view(), nullptr, &c);
    AppendRecordTerms(t.view(), nullptr, &c);  // the same token again: runs added once
    c.AddTextRuns("_text", "A.B.C");
    std::vector<std::string> keys = c.Take();
    EXPECT_THAT(keys, ::testing::IsSupersetOf({PresenceKey("host.name"), TextKey("_text", "a.b"),
                                               TextKey("_text", "b.c"), TextKey("_text", "a.b.c"),
                                               TextKey("_text", "web01")}))
        << "block " << block;
    EXPECT_EQ(std::set<std::string>(keys.begin(), keys.end()).size(), keys.size());
  }
}

}  // namespace
}  // namespace kiroku::index

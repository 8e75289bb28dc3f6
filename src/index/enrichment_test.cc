#include "index/enrichment.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace kiroku::index {
namespace {

using normalize::Event;
using normalize::Field;

// Every field's values in order: what a reader of the Event sees.
std::vector<std::vector<std::string>> ValuesByField(const Event& e) {
  std::vector<std::vector<std::string>> out(normalize::kFieldCount);
  for (const normalize::FieldInfo& info : normalize::AllFieldInfos()) {
    e.ForEach(info.field,
              [&](std::string_view v) { out[static_cast<size_t>(info.field)].emplace_back(v); });
  }
  return out;
}

void ExpectRoundTrip(const Event& plain, const Event& correlated) {
  std::string extra = EncodeEnrichment(plain, correlated);
  Event applied = plain;
  ASSERT_TRUE(ApplyEnrichment(extra, &applied).ok());
  EXPECT_EQ(ValuesByField(applied), ValuesByField(correlated));
}

TEST(EnrichmentTest, NothingAddedIsEmpty) {
  Event e;
  e.Add(Field::kEmailQueueId, "4F9D1A2B3C");
  EXPECT_EQ(EncodeEnrichment(e, e), "");
  Event applied = e;
  ASSERT_TRUE(ApplyEnrichment("", &applied).ok());
  EXPECT_EQ(ValuesByField(applied), ValuesByField(e));
}

TEST(EnrichmentTest, MailDeliveryLineGetsSenderAndRecipients) {
  Event plain;
  plain.Add(Field::kEmailQueueId, "4F9D1A2B3C");
  plain.Add(Field::kEmailToAddress, "bob@example.com");
  plain.Add(Field::kEmailDeliveryStatus, "sent");
  Event correlated = plain;
  correlated.Add(Field::kEmailFromAddress, "eve@evil.example");
  correlated.Add(Field::kEmailMessageId, "abc@evil.example");
  correlated.AddUnique(Field::kEmailToAddress, "carol@example.com");
  correlated.AddUnique(Field::kEmailAttachmentsFileName, "invoice.zip");
  std::string extra = EncodeEnrichment(plain, correlated);
  EXPECT_EQ(extra[0], '\x01');
  EXPECT_NE(extra.find("eve@evil.example"), std::string::npos);
  EXPECT_EQ(extra.find("4F9D1A2B3C"), std::string::npos);  // the record's own values stay out
  ExpectRoundTrip(plain, correlated);
}

TEST(EnrichmentTest, ReplacedAndRemovedValues) {
  Event plain;
  plain.Add(Field::kEventAction, "result");
  plain.Add(Field::kEventCategory, "iam");
  plain.Add(Field::kUrlPath, "/old");
  plain.Add(Field::kEmailToAddress, "a@example.com");
  plain.Add(Field::kEmailToAddress, "b@example.com");
  Event correlated;
  correlated.Add(Field::kEventAction, "bind");
  correlated.Add(Field::kEventCategory, "authentication");
  correlated.Add(Field::kEventCategory, "iam");
  correlated.Add(Field::kEmailToAddress, "b@example.com");
  ExpectRoundTrip(plain, correlated);
}

TEST(EnrichmentTest, RandomEventsRoundTrip) {
  std::mt19937 rng(5);
  const std::vector<Field> fields = {Field::kEventAction,     Field::kEventCategory,
                                     Field::kSourceIp,        Field::kUserName,
                                     Field::kEmailToAddress,  Field::kEmailAttachmentsFileName,
                                     Field::kDestinationPort, Field::kEventReason};
  const std::vector<std::string> values = {"1", "2", "10.0.0.1", "x y", "z"};
  auto random_event = [&] {
    Event e;
    int n = static_cast<int>(rng() % 6);
    for (int i = 0; i < n; ++i) {
      e.Add(fields[rng() % fields.size()], values[rng() % values.size()]);
    }
    return e;
  };
  for (int i = 0; i < 2000; ++i) {
    Event plain = random_event();
    Event correlated = rng() % 2 ? plain : Event();
    int more = static_cast<int>(rng() % 4);
    for (int k = 0; k < more; ++k) {
      correlated.Add(fields[rng() % fields.size()], values[rng() % values.size()]);
    }
    ExpectRoundTrip(plain, correlated);
  }
}

TEST(EnrichmentTest, MalformedIsCorruption) {
  Event e;
  EXPECT_EQ(ApplyEnrichment("\x02", &e).code(), Status::Code::kCorruption);      // version
  EXPECT_EQ(ApplyEnrichment("\x01\x07", &e).code(), Status::Code::kCorruption);  // op
  EXPECT_EQ(ApplyEnrichment("\x01\x01\x05user", &e).code(), Status::Code::kCorruption);
  EXPECT_EQ(ApplyEnrichment(std::string("\x01\x01\x09user.name\x05"
                                        "al",
                                        15),
                            &e)
                .code(),
            Status::Code::kCorruption);
  EXPECT_EQ(ApplyEnrichment("\x01\x01\xff\xff\xff\xff\xff\x01", &e).code(),
            Status::Code::kCorruption);
}

TEST(EnrichmentTest, UnknownFieldNamesAreSkipped) {
  Event e;
  std::string extra = "\x01";
  extra +=
      "\x01\x0b"
      "future.name"
      "\x01"
      "x";
  extra +=
      "\x01\x09"
      "user.name"
      "\x05"
      "alice";
  ASSERT_TRUE(ApplyEnrichment(extra, &e).ok());
  EXPECT_EQ(e.Get(Field::kUserName), "alice");
  EXPECT_EQ(e.entries().size(), 1u);
}

}  // namespace
}  // namespace kiroku::index

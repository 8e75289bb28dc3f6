#include "normalize/event.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kiroku::normalize {
namespace {

TEST(Event, TypedFieldsRejectValuesOfTheWrongType) {
  Event e;
  EXPECT_TRUE(e.Add(Field::kSourceIp, " 10.1.2.3 "));
  EXPECT_FALSE(e.Add(Field::kDestinationIp, "10.1.2"));
  EXPECT_FALSE(e.Add(Field::kDestinationIp, "host.example"));
  EXPECT_TRUE(e.Add(Field::kDestinationIp, "2001:db8::1"));
  EXPECT_FALSE(e.Add(Field::kSourcePort, "22x"));
  EXPECT_TRUE(e.Add(Field::kSourcePort, "22"));
  EXPECT_FALSE(e.Add(Field::kKirokuAdmin, "yes"));
  EXPECT_EQ(e.rejected(), 4);
  EXPECT_EQ(e.Get(Field::kSourceIp), "10.1.2.3");
  EXPECT_EQ(e.Get(Field::kDestinationIp), "2001:db8::1");
  EXPECT_EQ(e.Get(Field::kSourcePort), "22");
  EXPECT_FALSE(e.Has(Field::kKirokuAdmin));
}

TEST(Event, DashAndEmptyMeanNone) {
  Event e;
  EXPECT_FALSE(e.Add(Field::kUserName, "-"));
  EXPECT_FALSE(e.Add(Field::kUserName, "  "));
  EXPECT_TRUE(e.empty());
  EXPECT_EQ(e.rejected(), 0);
}

TEST(Event, SingleFieldsReplaceListsAppend) {
  Event e;
  e.Add(Field::kUserName, "alice");
  e.Add(Field::kUserName, "bob");
  e.Add(Field::kEmailToAddress, "a@example.com");
  e.AddUnique(Field::kEmailToAddress, "A@example.com");
  e.AddUnique(Field::kEmailToAddress, "b@example.com");
  std::vector<std::string> to;
  e.ForEach(Field::kEmailToAddress, [&](std::string_view v) { to.emplace_back(v); });
  EXPECT_EQ(e.Get(Field::kUserName), "bob");
  EXPECT_EQ(to, (std::vector<std::string>{"a@example.com", "b@example.com"}));
  e.Clear();
  EXPECT_TRUE(e.empty());
}

TEST(Schema, NamesRoundTrip) {
  for (const FieldInfo& i : AllFieldInfos()) {
    EXPECT_EQ(FieldByName(i.name), i.field) << i.name;
  }
  EXPECT_EQ(FieldByName("no.such.field"), std::nullopt);
}

}  // namespace
}  // namespace kiroku::normalize

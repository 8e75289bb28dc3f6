// Tests for query/internal/utf8.h, base64.h and structured_data.h (kept at this level because
// the build's test glob does not look inside internal/).
#include "query/internal/utf8.h"

#include <gtest/gtest.h>

#include "query/internal/base64.h"
#include "query/internal/structured_data.h"

namespace kiroku::query::internal {
namespace {

TEST(Utf8Test, ValidAndInvalid) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("ascii"));
  EXPECT_TRUE(IsValidUtf8("ログ \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF"));
  EXPECT_FALSE(IsValidUtf8("\x80"));
  EXPECT_FALSE(IsValidUtf8("\xC1\xBF"));          // overlong
  EXPECT_FALSE(IsValidUtf8("\xE0\x9F\xBF"));      // overlong
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // > U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xF5\x80\x80\x80"));
  EXPECT_FALSE(IsValidUtf8("\xE3\x83"));  // truncated
}

TEST(Utf8Test, MaximalSubparts) {
  // "\xE3\x83" then 'A': one replacement for the two bytes, then 'A' is read normally.
  Utf8Char c = DecodeUtf8(
      "\xE3\x83"
      "A",
      0);
  EXPECT_FALSE(c.valid);
  EXPECT_EQ(c.length, 2u);
  c = DecodeUtf8("\xE3\x83\xAD", 0);
  EXPECT_TRUE(c.valid);
  EXPECT_EQ(c.code_point, 0x30EDu);
  EXPECT_EQ(c.length, 3u);
}

TEST(Utf8Test, AppendUtf8) {
  std::string s;
  for (char32_t cp : {U'A', U'é', U'ロ', U'\U0001F600'}) AppendUtf8(cp, &s);
  EXPECT_EQ(s, "Aéロ\xF0\x9F\x98\x80");
}

TEST(Base64Test, Rfc4648Vectors) {
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  };
  for (auto [in, want] : vectors) {
    std::string out;
    AppendBase64(in, &out);
    EXPECT_EQ(out, want) << in;
  }
}

TEST(StructuredDataTest, Rfc5424Examples) {
  auto sd = ParseStructuredData(
      R"([exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"][examplePriority@32473 class="high"])");
  ASSERT_TRUE(sd.has_value());
  ASSERT_EQ(sd->size(), 2u);
  EXPECT_EQ((*sd)[0].id, "exampleSDID@32473");
  ASSERT_EQ((*sd)[0].params.size(), 3u);
  EXPECT_EQ((*sd)[0].params[1].first, "eventSource");
  EXPECT_EQ((*sd)[0].params[1].second, "Application");
  EXPECT_EQ((*sd)[1].params[0].second, "high");
  EXPECT_EQ(ParseStructuredData("-")->size(), 0u);
  auto esc = ParseStructuredData(R"([a b="x\"y\\z\]w\q"])");
  ASSERT_TRUE(esc.has_value());
  EXPECT_EQ((*esc)[0].params[0].second, R"(x"y\z]w\q)");
}

TEST(StructuredDataTest, Malformed) {
  for (const char* bad : {"[", "[]", "[a", "[a b]", "[a b=\"x]", "[a b=x]", "x[a]", "[a][",
                          "[a  b=\"1\"]", "[a b=\"1\"]x"}) {
    EXPECT_FALSE(ParseStructuredData(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace kiroku::query::internal

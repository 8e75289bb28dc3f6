#include "investigate/query_text.h"

#include <gtest/gtest.h>

#include "query/parser.h"

namespace kiroku::investigate {
namespace {

TEST(QueryTextTest, QuotedIsOneLiteralValue) {
  EXPECT_EQ(Quoted("a b"), "\"a b\"");
  EXPECT_EQ(Quoted("say \"hi\" \\ OR"), "\"say \\\"hi\\\" \\\\ OR\"");
  for (std::string v : {"Invoice Nov.pdf.exe", "a \"quoted\" (name).exe", "x OR y", "NOT", "*",
                        "back\\slash", "a:b", "日本語.doc"}) {
    StatusOr<query::Node> q = query::ParseQuery("email.attachments.file.name:" + Quoted(v), 0);
    ASSERT_TRUE(q.ok()) << v << ": " << q.status().message();
    ASSERT_EQ(q->kind, query::Node::Kind::kTerm) << v;
    const auto& kw = std::get<query::KeywordTest>(q->term.test);
    EXPECT_FALSE(kw.prefix) << v;
  }
}

TEST(QueryTextTest, PrefixEscapesEverythingButLettersAndDigits) {
  EXPECT_EQ(Prefix("uid=bob,"), "uid\\=bob\\,*");
  StatusOr<query::Node> q = query::ParseQuery("user.name:" + Prefix("cn=a (b) \"c\","), 0);
  ASSERT_TRUE(q.ok()) << q.status().message();
  const auto& kw = std::get<query::KeywordTest>(q->term.test);
  EXPECT_TRUE(kw.prefix);
  EXPECT_EQ(kw.value, "cn=a (b) \"c\",");
}

}  // namespace
}  // namespace kiroku::investigate

#include "normalize/text.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kiroku::normalize {
namespace {

std::vector<std::string> Pairs(std::string_view text, char sep, char eq) {
  std::vector<std::string> out;
  KeyValueScanner kv(text, sep, eq);
  for (std::string_view k, v; kv.Next(&k, &v);)
    out.push_back(std::string(k) + "|" + std::string(v));
  return out;
}

TEST(KeyValueScanner, BlankSeparatedWithQuotesAndBareTokens) {
  EXPECT_EQ(
      Pairs(R"(IN=eth0 OUT= SRC=10.0.0.1 DF msg="a b \" c" x=1)", ' ', '='),
      (std::vector<std::string>{"IN|eth0", "OUT|", "SRC|10.0.0.1", R"(msg|a b \" c)", "x|1"}));
  EXPECT_EQ(Pairs("a=1\tb=2", '\t', '='), (std::vector<std::string>{"a|1", "b|2"}));
  EXPECT_TRUE(Pairs("", ' ', '=').empty());
  EXPECT_EQ(Pairs("k=\"unterminated", ' ', '='), (std::vector<std::string>{"k|unterminated"}));
}

TEST(FieldSplitter, QuotedFields) {
  std::vector<std::string> got;
  FieldSplitter f(R"(a,"b,c",,"d""e",)", ',');
  for (std::string_view v; f.Next(&v);) got.emplace_back(v);
  EXPECT_EQ(got, (std::vector<std::string>{"a", "b,c", "", R"(d""e)", ""}));
}

TEST(Text, Helpers) {
  EXPECT_EQ(Trim("  a b \t"), "a b");
  EXPECT_TRUE(EqualsIgnoreCase("DROP", "drop"));
  EXPECT_EQ(FindIgnoreCase("iptables-DROP: ", "drop"), 9u);
  EXPECT_EQ(ParseInt("-42"), -42);
  EXPECT_EQ(ParseInt("42x"), std::nullopt);
  EXPECT_EQ(ParseInt("99999999999999999999"), std::nullopt);
  EXPECT_EQ(Between("from=<a@b>, size=1", "<", ">"), "a@b");
  EXPECT_EQ(ValueAfter("to=<x@y>, relay=none, status=sent (ok)", "status"), "sent");
  EXPECT_EQ(ValueAfter("nrcpt=1 xstatus=2 status=3", "status"), "3");
  EXPECT_EQ(ValueAfter("a=1", "b"), std::nullopt);
  auto cut = Cut("k: v: w", ": ");
  ASSERT_TRUE(cut);
  EXPECT_EQ(cut->before, "k");
  EXPECT_EQ(cut->after, "v: w");
}

}  // namespace
}  // namespace kiroku::normalize

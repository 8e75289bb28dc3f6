#include "normalize/proxy/proxy.h"

#include <gtest/gtest.h>

#include "normalize/proxy/internal/url.h"
#include "normalize/testing/kat.h"

namespace kiroku::normalize {
namespace {

using internal::SplitUrl;
using internal::UrlParts;
using testing::MakeKatRecord;

TEST(ProxyKat, All) {
  EXPECT_EQ(testing::RunKatFile("proxy.jsonl", &NormalizeProxy, &NewProxyCorrelator), 39);
}

TEST(ProxyUrl, Forms) {
  UrlParts u;
  ASSERT_TRUE(SplitUrl("http://user:pw@www.example.com:8080/a/b?c=1#f", &u));
  EXPECT_TRUE(u.absolute);
  EXPECT_EQ(u.host, "www.example.com");
  EXPECT_EQ(u.port, "8080");
  EXPECT_EQ(u.path, "/a/b");
  ASSERT_TRUE(SplitUrl("https://[2001:db8::1]/", &u));
  EXPECT_EQ(u.host, "2001:db8::1");
  EXPECT_EQ(u.port, "");
  ASSERT_TRUE(SplitUrl("www.example.org:443", &u));
  EXPECT_TRUE(u.authority);
  EXPECT_EQ(u.host, "www.example.org");
  ASSERT_TRUE(SplitUrl("/p?q", &u));
  EXPECT_EQ(u.path, "/p");
  ASSERT_TRUE(SplitUrl("ftp://ftp.example.com", &u));
  EXPECT_EQ(u.path, "");
  EXPECT_FALSE(SplitUrl("", &u));
  EXPECT_FALSE(SplitUrl("error:invalid-request", &u));
  EXPECT_FALSE(SplitUrl("www.example.org", &u));  // no port: not an authority-form target
  EXPECT_FALSE(SplitUrl("http://[::1/", &u));
  EXPECT_FALSE(SplitUrl("http://host:80x/", &u));
  EXPECT_FALSE(SplitUrl("/a b", &u));
}

TEST(ProxySquid, UserWithBlankAndExtraSpacing) {
  auto r = MakeKatRecord(
      "1795703862.123\t   5 10.0.0.5   TCP_MISS/200 10 GET http://a.example/ John Smith "
      "HIER_DIRECT/10.0.0.80 text/plain",
      "192.0.2.10", 1);
  Event e;
  ASSERT_TRUE(NormalizeProxy(Input::From(r->view), Config(), &e));
  EXPECT_EQ(e.Get(Field::kUserName), "John Smith");
  EXPECT_EQ(e.Get(Field::kNetworkDirection), "internal");
  EXPECT_EQ(e.rejected(), 0);
}

TEST(ProxyW3c, TruncatedQuoteAndTooManyColumns) {
  Event e;
  std::string line = "2026-11-26 14:37:42 1 10.0.0.5 \"unterminated";
  auto r = MakeKatRecord(line, "192.0.2.10", 1);
  EXPECT_FALSE(NormalizeProxy(Input::From(r->view), Config(), &e));
  EXPECT_TRUE(e.empty());
  std::string many = "2026-11-26 14:37:42";
  for (int i = 0; i < 200; ++i) many += " x";
  EXPECT_FALSE(ParseW3cLine(many, many, "", nullptr, &e));
  EXPECT_TRUE(e.empty());
}

TEST(ProxyW3c, HeaderWithExtraBlanksAndLongUrl) {
  Event e;
  std::string path(5000, 'a');
  path[0] = '/';
  std::string line = "2026-11-26 14:37:42 10.0.0.5 http www.example.com 80 " + path + " 200";
  ASSERT_TRUE(ParseW3cLine(line,
                           "  date time\tc-ip cs-uri-scheme cs-host cs-uri-port "
                           "cs-uri-path sc-status ",
                           "", nullptr, &e));
  // A URL that does not fit the stack buffer is left out rather than cut.
  EXPECT_FALSE(e.Has(Field::kUrlFull));
  EXPECT_EQ(e.Get(Field::kUrlPath).size(), 5000u);
  EXPECT_EQ(e.Get(Field::kUrlDomain), "www.example.com");
}

}  // namespace
}  // namespace kiroku::normalize

#include "query/ip_address.h"

#include <gtest/gtest.h>

namespace kiroku::query {
namespace {

IpAddress Ip(std::string_view s) {
  std::optional<IpAddress> a = ParseIpAddress(s);
  EXPECT_TRUE(a.has_value()) << s;
  return a.value_or(IpAddress{});
}

TEST(IpAddressTest, ParseAndPrint) {
  EXPECT_EQ(Ip("192.0.2.1").ToString(), "192.0.2.1");
  EXPECT_TRUE(Ip("192.0.2.1").is_v4());
  EXPECT_EQ(Ip("::ffff:192.0.2.1"), Ip("192.0.2.1"));
  EXPECT_EQ(Ip("2001:DB8:0:0:0:0:0:1").ToString(), "2001:db8::1");
  EXPECT_FALSE(Ip("::1").is_v4());
  for (const char* bad : {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4x", "fe80::1%eth0",
                          "[::1]", "1.2.3.4:80", "2001:db8::g"}) {
    EXPECT_FALSE(ParseIpAddress(bad).has_value()) << bad;
  }
}

TEST(IpAddressTest, FromPeer) {
  PeerAddress v4{4, {10, 1, 2, 3}, 514};
  EXPECT_EQ(FromPeer(v4)->ToString(), "10.1.2.3");
  PeerAddress v6{6, {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 514};
  EXPECT_EQ(FromPeer(v6)->ToString(), "2001:db8::1");
  EXPECT_FALSE(FromPeer(PeerAddress{}).has_value());
}

TEST(IpAddressTest, Prefixes) {
  std::optional<IpPrefix> p = ParseIpPrefix("10.0.0.0/8");
  ASSERT_TRUE(p.has_value());
  EXPECT_TRUE(p->Contains(Ip("10.255.0.1")));
  EXPECT_FALSE(p->Contains(Ip("11.0.0.0")));
  EXPECT_FALSE(p->Contains(Ip("::a00:1")));  // IPv4-compatible, not mapped: not 10.0.0.1

  std::optional<IpPrefix> odd = ParseIpPrefix("192.0.2.77/27");  // host bits cleared
  ASSERT_TRUE(odd.has_value());
  EXPECT_EQ(odd->base, Ip("192.0.2.64"));
  EXPECT_TRUE(odd->Contains(Ip("192.0.2.95")));
  EXPECT_FALSE(odd->Contains(Ip("192.0.2.96")));

  std::optional<IpPrefix> v6 = ParseIpPrefix("2001:db8::/32");
  ASSERT_TRUE(v6.has_value());
  EXPECT_TRUE(v6->Contains(Ip("2001:db8:ffff::1")));
  EXPECT_FALSE(v6->Contains(Ip("2001:db9::1")));

  EXPECT_TRUE(ParseIpPrefix("0.0.0.0/0")->Contains(Ip("255.255.255.255")));
  EXPECT_FALSE(ParseIpPrefix("0.0.0.0/0")->Contains(Ip("::1")));
  EXPECT_TRUE(ParseIpPrefix("::/0")->Contains(Ip("::1")));
  for (const char* bad : {"10.0.0.0", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/", "10.0.0.0/8x",
                          "::/129", "x/8", "10.0.0.0/0008"}) {
    EXPECT_FALSE(ParseIpPrefix(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace kiroku::query

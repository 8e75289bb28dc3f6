#include "normalize/config.h"

#include <gtest/gtest.h>

namespace kiroku::normalize {
namespace {

TEST(Config, DefaultInternalNetworksAreRfc1918AndUla) {
  Config c;
  EXPECT_EQ(c.Direction("10.1.2.3", "203.0.113.5"), "outbound");
  EXPECT_EQ(c.Direction("198.51.100.7", "192.168.1.1"), "inbound");
  EXPECT_EQ(c.Direction("172.16.0.1", "10.0.0.1"), "internal");
  EXPECT_EQ(c.Direction("198.51.100.7", "203.0.113.5"), "external");
  EXPECT_EQ(c.Direction("fd00::1", "2001:db8::1"), "outbound");
  EXPECT_EQ(c.Direction("bogus", "10.0.0.1"), "");
}

TEST(Config, ConfiguredNetworksReplaceTheDefaults) {
  Config c;
  ASSERT_TRUE(c.AddInternalNetwork("203.0.113.0/24").ok());
  EXPECT_TRUE(c.IsInternal("203.0.113.77"));
  EXPECT_FALSE(c.IsInternal("10.0.0.1"));
  EXPECT_FALSE(c.AddInternalNetwork("10.0.0.0/33").ok());
  EXPECT_FALSE(c.AddInternalNetwork("nonsense/8").ok());
  EXPECT_TRUE(c.AddInternalNetwork("2001:db8::/32").ok());
  EXPECT_TRUE(c.IsInternal("2001:db8:1::5"));
}

TEST(Config, NetfilterPrefixRules) {
  Config c;
  ASSERT_NE(c.MatchNetfilterPrefix("[UFW BLOCK] "), nullptr);
  EXPECT_EQ(c.MatchNetfilterPrefix("[UFW BLOCK] ")->action, "deny");
  EXPECT_EQ(c.MatchNetfilterPrefix("nft accept: ")->outcome, "success");
  EXPECT_EQ(c.MatchNetfilterPrefix("FW-LOG "), nullptr);
  c.AddNetfilterPrefix({"fw-log", "allow", "success"});
  EXPECT_EQ(c.MatchNetfilterPrefix("[UFW BLOCK] "), nullptr);
  EXPECT_EQ(c.MatchNetfilterPrefix("FW-LOG ")->action, "allow");
}

TEST(Config, AdminsAreCaseInsensitive) {
  Config c;
  c.AddAdmin("cn=admin,dc=example,dc=com");
  EXPECT_TRUE(c.IsAdmin("CN=Admin,DC=example,DC=com"));
  EXPECT_FALSE(c.IsAdmin("cn=alice,dc=example,dc=com"));
}

}  // namespace
}  // namespace kiroku::normalize

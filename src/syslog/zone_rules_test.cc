#include "syslog/zone_rules.h"

#include <arpa/inet.h>
#include <date/tz.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <string>

namespace kiroku::syslog {
namespace {

PeerAddress Peer(const char* text) {
  PeerAddress p;
  if (inet_pton(AF_INET, text, p.addr.data()) == 1) {
    p.family = 4;
  } else if (inet_pton(AF_INET6, text, p.addr.data()) == 1) {
    p.family = 6;
  }
  p.port = 514;
  return p;
}

std::string NameOf(Zone z) { return z == nullptr ? "UTC" : std::string(z->name()); }

// Sets TZ for one test and restores it afterwards.
class ScopedTz {
 public:
  explicit ScopedTz(const char* value) {
    if (const char* old = std::getenv("TZ")) {
      saved_ = old;
    }
    if (value == nullptr) {
      unsetenv("TZ");
    } else {
      setenv("TZ", value, 1);
    }
  }
  ~ScopedTz() {
    if (saved_) {
      setenv("TZ", saved_->c_str(), 1);
    } else {
      unsetenv("TZ");
    }
  }
  ScopedTz(const ScopedTz&) = delete;
  ScopedTz& operator=(const ScopedTz&) = delete;

 private:
  std::optional<std::string> saved_;
};

TEST(LookupZoneTest, Names) {
  StatusOr<Zone> utc = LookupZone("UTC");
  ASSERT_TRUE(utc.ok());
  EXPECT_EQ(*utc, nullptr);
  StatusOr<Zone> tokyo = LookupZone("Asia/Tokyo");
  ASSERT_TRUE(tokyo.ok());
  EXPECT_EQ(NameOf(*tokyo), "Asia/Tokyo");
  StatusOr<Zone> bad = LookupZone("Nowhere/Atlantis");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), Status::Code::kNotFound);
  EXPECT_FALSE(LookupZone("").ok());
}

TEST(LookupZoneTest, LocalHonoursTz) {
  {
    ScopedTz tz("Asia/Tokyo");
    EXPECT_EQ(NameOf(*LookupZone("local")), "Asia/Tokyo");
    EXPECT_EQ(NameOf(ZoneRules().default_zone()), "Asia/Tokyo");
  }
  {
    ScopedTz tz(":Europe/Berlin");
    EXPECT_EQ(NameOf(*LookupZone("local")), "Europe/Berlin");
  }
  {
    ScopedTz tz("/usr/share/zoneinfo/America/New_York");
    EXPECT_EQ(NameOf(*LookupZone("local")), "America/New_York");
  }
  {
    ScopedTz tz("");  // glibc reads an empty TZ as UTC
    EXPECT_EQ(*LookupZone("local"), nullptr);
  }
  const std::string system_zone = NameOf(date::current_zone());
  {
    ScopedTz tz("JST-9");  // a POSIX rule, not a zone name: fall back to /etc/localtime
    EXPECT_EQ(NameOf(*LookupZone("local")), system_zone);
  }
  {
    ScopedTz tz(nullptr);
    EXPECT_EQ(NameOf(*LookupZone("local")), system_zone);
  }
}

TEST(ZoneRulesTest, NoRulesGivesDefault) {
  ZoneRules rules;
  ASSERT_TRUE(rules.SetDefault("Asia/Tokyo").ok());
  EXPECT_TRUE(rules.empty());
  EXPECT_EQ(NameOf(rules.ZoneFor(Peer("192.0.2.1"), "fw01")), "Asia/Tokyo");
  EXPECT_EQ(NameOf(rules.ZoneFor(PeerAddress{}, "")), "Asia/Tokyo");
  EXPECT_FALSE(rules.SetDefault("Nowhere/Atlantis").ok());
  EXPECT_EQ(NameOf(rules.default_zone()), "Asia/Tokyo");
}

TEST(ZoneRulesTest, FirstMatchWinsInOrderAdded) {
  ZoneRules rules;
  ASSERT_TRUE(rules.SetDefault("UTC").ok());
  ASSERT_TRUE(rules.Add("host:FW01", "Europe/Berlin").ok());
  ASSERT_TRUE(rules.Add("10.1.2.3", "America/New_York").ok());
  ASSERT_TRUE(rules.Add("10.1.0.0/16", "Asia/Tokyo").ok());
  ASSERT_TRUE(rules.Add("10.0.0.0/8", "Europe/London").ok());
  ASSERT_TRUE(rules.Add("2001:db8::/32", "Asia/Kolkata").ok());
  ASSERT_TRUE(rules.Add("2001:db8:1::/48", "Europe/Paris").ok());  // shadowed by the /32
  ASSERT_TRUE(rules.Add("192.0.2.128/25", "local").ok());
  EXPECT_FALSE(rules.empty());

  EXPECT_EQ(NameOf(rules.ZoneFor(Peer("10.1.2.3"), "")), "America/New_York");
  EXPECT_EQ(NameOf(rules.ZoneFor(Peer("10.1.2.3"), "fw01")), "Europe/Berlin");
  EXPECT_EQ(NameOf(rules.ZoneFor(Peer("10.1.2.3"), "Fw01")), "Europe/Berlin");
  EXPECT_EQ(NameOf(rules.ZoneFor(Peer("10.1.2.3"), "fw01.example.net")), "America/New_York");
  EXPECT_EQ(NameOf(rules.ZoneFor(Peer("10.1.255.255"), "")), "Asia/Tokyo");
  EXPECT_EQ(NameOf(rules.ZoneFor(Peer("10.2.0.1"), "")), "Europe/London");
  EXPECT_EQ(NameOf(rules.ZoneFor(Peer("11.0.0.1"), "")), "UTC");
  EXPECT_EQ(NameOf(rules.ZoneFor(Peer("2001:db8:1::5"), "")), "Asia/Kolkata");
  EXPECT_EQ(NameOf(rules.ZoneFor(Peer("2001:db9::1"), "")), "UTC");
  EXPECT_EQ(NameOf(rules.ZoneFor(Peer("192.0.2.200"), "")), NameOf(*LookupZone("local")));
  EXPECT_EQ(NameOf(rules.ZoneFor(Peer("192.0.2.127"), "")), "UTC");
  EXPECT_EQ(NameOf(rules.ZoneFor(PeerAddress{}, "")), "UTC");
}

TEST(ZoneRulesTest, HostBitsInCidrAreIgnored) {
  ZoneRules rules;
  ASSERT_TRUE(rules.SetDefault("UTC").ok());
  ASSERT_TRUE(rules.Add("10.1.2.3/16", "Asia/Tokyo").ok());
  ASSERT_TRUE(rules.Add("2001:db8::ffff/31", "Europe/Berlin").ok());
  EXPECT_EQ(NameOf(rules.ZoneFor(Peer("10.1.99.1"), "")), "Asia/Tokyo");
  EXPECT_EQ(NameOf(rules.ZoneFor(Peer("2001:db9::1"), "")), "Europe/Berlin");
}

TEST(ZoneRulesTest, OddPrefixLengthsAndZero) {
  ZoneRules rules;
  ASSERT_TRUE(rules.SetDefault("UTC").ok());
  ASSERT_TRUE(rules.Add("172.16.0.0/12", "Asia/Tokyo").ok());
  ASSERT_TRUE(rules.Add("0.0.0.0/0", "Europe/Berlin").ok());
  EXPECT_EQ(NameOf(rules.ZoneFor(Peer("172.31.255.255"), "")), "Asia/Tokyo");
  EXPECT_EQ(NameOf(rules.ZoneFor(Peer("172.32.0.0"), "")), "Europe/Berlin");
  EXPECT_EQ(NameOf(rules.ZoneFor(Peer("2001:db8::1"), "")), "UTC");  // v4 /0 is not v6
}

TEST(ZoneRulesTest, V4RulesMatchV4MappedPeers) {
  ZoneRules rules;
  ASSERT_TRUE(rules.SetDefault("UTC").ok());
  ASSERT_TRUE(rules.Add("192.0.2.0/24", "Asia/Tokyo").ok());
  EXPECT_EQ(NameOf(rules.ZoneFor(Peer("::ffff:192.0.2.9"), "")), "Asia/Tokyo");
  EXPECT_EQ(NameOf(rules.ZoneFor(Peer("::ffff:198.51.100.1"), "")), "UTC");
}

TEST(ZoneRulesTest, RejectsBadRules) {
  ZoneRules rules;
  for (const char* bad : {"10.0.0.0/33", "10.0.0/8", "10.0.0.0/", "10.0.0.0/x", "10.0.0.0/1234",
                          "2001:db8::/129", "host:", "fw01", "", "/8", "10.0.0.0/-1"}) {
    EXPECT_FALSE(rules.Add(bad, "UTC").ok()) << bad;
  }
  EXPECT_FALSE(rules.Add("10.0.0.0/8", "Nowhere/Atlantis").ok());
  EXPECT_TRUE(rules.empty());
}

}  // namespace
}  // namespace kiroku::syslog

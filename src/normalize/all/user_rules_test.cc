#include "normalize/all/user_rules.h"

#include <gtest/gtest.h>

#include "normalize/testing/kat.h"

namespace kiroku::normalize {
namespace {

using testing::MakeKatRecord;
using testing::ToMap;

constexpr char kVpnRules[] = R"(
[[rule]]
name = "acme-vpn"
app = "acmevpn"
contains = "login"
pattern = 'user=(?P<user>\S+) from (?P<ip>\S+) (?P<result>ok|failed)'
[rule.fields]
"observer.type" = "vpn"
"observer.vendor" = "Acme"
"event.category" = "authentication"
"event.action" = "login"
"user.name" = "${user}"
"source.ip" = "${ip}"
"event.reason" = "login ${result} for ${user}"
)";

TEST(UserRules, CapturesFillFieldsAndTemplatesJoinThem) {
  StatusOr<UserRules> rules = UserRules::Parse(kVpnRules, "vpn.toml");
  ASSERT_TRUE(rules.ok()) << rules.status().ToString();
  auto rec = MakeKatRecord("<38>Nov 26 14:37:42 gw1 acmevpn[77]: login user=alice from 10.9.8.7 ok",
                           "192.0.2.10", 1);
  Event e;
  const UserRule* hit = rules->Apply(Input::From(rec->view), &e);
  ASSERT_NE(hit, nullptr);
  EXPECT_EQ(hit->name, "acme-vpn");
  testing::FieldMap want = {{"observer.type", {"vpn"}},
                            {"observer.vendor", {"Acme"}},
                            {"event.category", {"authentication"}},
                            {"event.action", {"login"}},
                            {"user.name", {"alice"}},
                            {"source.ip", {"10.9.8.7"}},
                            {"event.reason", {"login ok for alice"}},
                            {"kiroku.normalizer", {"rule:acme-vpn"}}};
  EXPECT_EQ(ToMap(e), want);
}

TEST(UserRules, AppContainsAndPatternMustAllHold) {
  StatusOr<UserRules> rules = UserRules::Parse(kVpnRules, "vpn.toml");
  ASSERT_TRUE(rules.ok());
  for (const char* line : {
           "<38>Nov 26 14:37:42 gw1 other[77]: login user=alice from 10.9.8.7 ok",       // app
           "<38>Nov 26 14:37:42 gw1 acmevpn[77]: logout user=alice from 10.9.8.7 ok",    // contains
           "<38>Nov 26 14:37:42 gw1 acmevpn[77]: login user=alice from 10.9.8.7 maybe",  // pattern
       }) {
    auto rec = MakeKatRecord(line, "192.0.2.10", 1);
    Event e;
    EXPECT_EQ(rules->Apply(Input::From(rec->view), &e), nullptr) << line;
    EXPECT_TRUE(e.empty()) << line;
  }
}

TEST(UserRules, ACaptureThatIsNotAnAddressIsDroppedNotStored) {
  StatusOr<UserRules> rules = UserRules::Parse(kVpnRules, "vpn.toml");
  ASSERT_TRUE(rules.ok());
  auto rec = MakeKatRecord("<38>Nov 26 14:37:42 gw1 acmevpn: login user=bob from gw.example ok",
                           "192.0.2.10", 1);
  Event e;
  ASSERT_NE(rules->Apply(Input::From(rec->view), &e), nullptr);
  EXPECT_FALSE(e.Has(Field::kSourceIp));
  EXPECT_EQ(e.rejected(), 1);
  EXPECT_EQ(e.Get(Field::kUserName), "bob");
}

TEST(UserRules, ErrorsNameTheFileLineAndRule) {
  struct Case {
    const char* text;
    const char* error;
  };
  for (const Case& c : {
           Case{"[[rule]]\nname = \"x\"\npattern = \"(\"\n[rule.fields]\n\"user.name\" = \"a\"\n",
                "rules.toml:1 (rule x): bad pattern: missing ): ("},
           Case{"[[rule]]\nname = \"x\"\npattern = \"a\"\n[rule.fields]\n\"user.nam\" = \"a\"\n",
                "rules.toml:5: unknown field 'user.nam' (docs/schema.md lists them)"},
           Case{"[[rule]]\nname = \"x\"\npattern = \"(?P<u>a)\"\n[rule.fields]\n"
                "\"user.name\" = \"${v}\"\n",
                "rules.toml:5: ${v} is not a named group of the pattern (write (?P<v>...))"},
           Case{"[[rule]]\npattern = \"a\"\n[rule.fields]\n\"user.name\" = \"a\"\n",
                "rules.toml:1: [[rule]] needs a name"},
           Case{"[[rule]]\nname = \"x\"\npattern = \"a\"\n",
                "rules.toml:1 (rule x): needs a [rule.fields] table"},
           Case{"[[rule]]\nname = \"x\"\npatern = \"a\"\n",
                "rules.toml:3: unknown key 'patern' in [[rule]] (name, app, contains, pattern, "
                "fields)"},
           Case{"rule = 1\n", "rules.toml: 'rule' must be an array of tables ([[rule]])"},
           Case{"[[rule]\n", "rules.toml:1: "},
       }) {
    StatusOr<UserRules> r = UserRules::Parse(c.text, "rules.toml");
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_EQ(r.status().message().rfind(c.error, 0), 0u)
        << "got: " << r.status().message() << "\nwant prefix: " << c.error;
  }
}

TEST(UserRules, EmptyFileHasNoRules) {
  StatusOr<UserRules> r = UserRules::Parse("", "rules.toml");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->empty());
}

}  // namespace
}  // namespace kiroku::normalize

#include "normalize/directory/directory.h"

#include <gtest/gtest.h>

#include "normalize/testing/kat.h"

namespace kiroku::normalize {
namespace {

Event Normalize(const std::string& line, const Config& config = Config()) {
  auto rec = testing::MakeKatRecord(line, "192.0.2.10", 1);
  Event e;
  NormalizeDirectory(Input::From(rec->view), config, &e);
  return e;
}

TEST(DirectoryKat, All) {
  EXPECT_EQ(testing::RunKatFile("directory.jsonl", &NormalizeDirectory, &NewDirectoryCorrelator),
            38);
}

TEST(FreeRadius, PasswordNeverInUserName) {
  for (const char* line : {
           "Tue Nov 26 14:37:42 2026 : Auth: (1) Login OK: [alice/s3cr/et] (from client a port 0)",
           "Tue Nov 26 14:37:42 2026 : Auth: (1) Login OK: [alice/] (from client a port 0)",
           "Tue Nov 26 14:37:42 2026 : Auth: (1) Login incorrect: [alice/x] y] (from client a)",
       }) {
    Event e = Normalize(line);
    EXPECT_EQ(e.Get(Field::kUserName), "alice") << line;
  }
}

TEST(FreeRadius, UnclosedReasonIsNotALogin) {
  Event e = Normalize("Tue Nov 26 14:37:42 2026 : Auth: (1) Login incorrect (pap: oops: [bob");
  EXPECT_TRUE(e.empty());
}

TEST(SlapdStats, AdminBindFromConfig) {
  Config c;
  c.AddAdmin("cn=admin,dc=example,dc=com");
  Event e = Normalize(
      "<38>Nov 26 14:37:42 ldap01 slapd[1]: conn=1 op=0 BIND "
      "dn=\"CN=Admin,dc=example,dc=com\" method=128",
      c);
  EXPECT_EQ(e.Get(Field::kKirokuAdmin), "true");
  Event other =
      Normalize("<38>Nov 26 14:37:42 ldap01 slapd[1]: conn=1 op=0 BIND dn=\"uid=x\" method=128", c);
  EXPECT_FALSE(other.Has(Field::kKirokuAdmin));
}

TEST(SlapdStats, UnterminatedDnIsLeftOut) {
  Event e = Normalize("<38>Nov 26 14:37:42 ldap01 slapd[1]: conn=1 op=1 MOD dn=\"uid=bob");
  EXPECT_EQ(e.Get(Field::kEventAction), "modify");
  EXPECT_FALSE(e.Has(Field::kLdapDn));
}

TEST(SlapdStats, ResultWithUnknownCodeKeepsNumber) {
  Event e =
      Normalize("<38>Nov 26 14:37:42 ldap01 slapd[1]: conn=1 op=1 RESULT tag=103 err=4096 text=");
  EXPECT_EQ(e.Get(Field::kEventOutcome), "failure");
  EXPECT_EQ(e.Get(Field::kEventReason), "err=4096");
}

TEST(SlapdAudit, AmbiguousDnSplitGivesNoUser) {
  // Two blanks each followed by an attribute=value word: which DN is the modifier is unclear.
  Event e =
      Normalize("# modify 1 dc=example,dc=com cn=a b=c,dc=example,dc=com IP=10.0.0.5:1 conn=2");
  EXPECT_EQ(e.Get(Field::kEventAction), "modify");
  EXPECT_FALSE(e.Has(Field::kUserName));
}

TEST(DirectoryCorrelator, IgnoresOtherNormalizers) {
  auto corr = NewDirectoryCorrelator();
  auto rec = testing::MakeKatRecord("x", "192.0.2.10", 1);
  Event e;
  e.Add(Field::kKirokuNormalizer, "slapd-auditlog");
  e.Add(Field::kLdapSession, "conn=1000");
  corr->Observe(rec->view, e);
  corr->Enrich(rec->view, &e);
  EXPECT_EQ(e.entries().size(), 2u);
}

}  // namespace
}  // namespace kiroku::normalize

#include "investigate/activity_report.h"

#include <gtest/gtest.h>

#include <sstream>

#include "investigate/testing/scenario_fixture.h"

namespace kiroku::investigate {
namespace {

using ActivityReportTest = testing::ScenarioTest;

TEST_F(ActivityReportTest, AdminByShortName) {
  StatusOr<ActivityReport> r = InvestigateUser(ctx_, "admin", 0);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->records, 7u);  // every line after the ACCEPT names the bound DN
  EXPECT_EQ(r->counts.logons_ok, 1u);
  EXPECT_EQ(r->counts.logons_failed, 0u);
  EXPECT_EQ(r->counts.admin, 1u);
  EXPECT_EQ(r->counts.other, 2u);  // unbind, disconnect
  EXPECT_EQ(r->hosts, std::vector<std::string>{"ldap1"});
}

TEST_F(ActivityReportTest, TargetOfAnAdminChange) {
  StatusOr<ActivityReport> r = InvestigateUser(ctx_, "carol", 0);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->records, 3u);  // MOD dn, MOD attr, RESULT
  EXPECT_EQ(r->counts.admin, 1u);
  EXPECT_EQ(r->counts.logons_ok, 0u);
}

TEST_F(ActivityReportTest, UserAcrossProxyAndRadius) {
  StatusOr<ActivityReport> r = InvestigateUser(ctx_, "alice", 0);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->counts.proxy, 3u);
  r = InvestigateUser(ctx_, "bob", 0);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->counts.logons_ok, 1u);
  EXPECT_EQ(r->records, 1u);
}

TEST_F(ActivityReportTest, HostByAddress) {
  engine_.Add(
      "<30>Nov 26 12:30:00 10.1.0.9 clamd[812]: /home/bob/Invoice.exe: "
      "Win.Trojan.Agent-123456 FOUND");
  StatusOr<ActivityReport> r = InvestigateHost(ctx_, "10.1.0.9", 2);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->records, 6u);
  EXPECT_EQ(r->counts.logons_ok, 1u);
  EXPECT_EQ(r->counts.proxy, 1u);
  EXPECT_EQ(r->counts.proxy_denied, 1u);
  EXPECT_EQ(r->counts.firewall, 3u);
  EXPECT_EQ(r->counts.firewall_denied, 2u);
  EXPECT_EQ(r->counts.malware, 1u);
  EXPECT_EQ(r->malware, std::vector<std::string>{"Win.Trojan.Agent-123456"});
  ASSERT_EQ(r->users.size(), 1u);
  EXPECT_EQ(UserText(r->users[0]), "bob (radius, 1 logon)");
  EXPECT_EQ(r->timeline.size(), 2u);  // limit
  std::ostringstream out;
  WriteActivityText(*r, out);
  EXPECT_EQ(out.str(),
            "Activity of host 10.1.0.9: 6 records\n"
            "  logons      1 succeeded, 0 failed\n"
            "  admin       0 operations\n"
            "  malware     1 detection: Win.Trojan.Agent-123456\n"
            "  proxy       1 request (1 denied)\n"
            "  firewall    3 records (2 denied)\n"
            "  mail        0 records\n"
            "  other       0 records\n"
            "  users       bob (radius, 1 logon)\n"
            "\nTimeline (first 2 of 6; --limit N shows more)\n"
            "  time                      host     type      action            summary\n"
            "  2026-11-26T09:55:00.000Z  radius1  radius    accounting-start  user=bob from "
            "10.1.0.9\n"
            "  2026-11-26T10:30:00.000Z  fw1      firewall  allow             10.1.0.9:50000 -> "
            "203.0.113.50:443 outcome=success\n");
}

TEST_F(ActivityReportTest, HostByName) {
  StatusOr<ActivityReport> r = InvestigateHost(ctx_, "ldap1", 0);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->records, 8u);
  EXPECT_EQ(r->counts.admin, 1u);
  ASSERT_EQ(r->users.size(), 1u);
  EXPECT_EQ(UserText(r->users[0]), "cn=admin,dc=corp,dc=example (directory, 1 logon)");
  EXPECT_EQ(InvestigateHost(ctx_, "", 0).status().code(), Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace kiroku::investigate

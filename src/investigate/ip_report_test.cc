#include "investigate/ip_report.h"

#include <gtest/gtest.h>

#include <sstream>

#include "investigate/testing/scenario_fixture.h"

namespace kiroku::investigate {
namespace {

using testing::At;
using IpReportTest = testing::ScenarioTest;

TEST_F(IpReportTest, HostsCountsAndUsers) {
  StatusOr<IpReport> r = InvestigateIp(ctx_, "203.0.113.50");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->records, 6u);
  EXPECT_EQ(r->without_internal_host, 0u);
  ASSERT_EQ(r->hosts.size(), 2u);

  const HostContact& a = r->hosts[0];
  EXPECT_EQ(a.ip, "10.1.0.5");
  EXPECT_EQ(TimeText(a.first_ns), At("10:00:00"));
  EXPECT_EQ(TimeText(a.last_ns), At("10:05:00"));
  EXPECT_EQ(a.proxy_requests, 2u);
  EXPECT_EQ(a.firewall_connections, 0u);
  EXPECT_EQ(a.allowed, 2u);
  EXPECT_EQ(a.denied, 0u);
  EXPECT_EQ(a.bytes_received, 4000u);
  EXPECT_EQ(a.domains, std::vector<std::string>{"203.0.113.50"});
  ASSERT_EQ(a.users.size(), 1u);
  EXPECT_EQ(UserText(a.users[0]), "alice (proxy, 2 records)");

  const HostContact& b = r->hosts[1];
  EXPECT_EQ(b.ip, "10.1.0.9");
  EXPECT_EQ(TimeText(b.first_ns), At("10:30:00"));
  EXPECT_EQ(TimeText(b.last_ns), At("11:31:00"));
  EXPECT_EQ(b.proxy_requests, 1u);
  EXPECT_EQ(b.firewall_connections, 3u);
  EXPECT_EQ(b.outbound, 4u);
  EXPECT_EQ(b.allowed, 1u);
  EXPECT_EQ(b.denied, 3u);
  ASSERT_EQ(b.users.size(), 1u);
  EXPECT_EQ(UserText(b.users[0]), "bob (radius, 1 logon)");
  EXPECT_EQ(TimeText(b.users[0].first_ns), At("09:55:00"));
}

TEST_F(IpReportTest, Text) {
  StatusOr<IpReport> r = InvestigateIp(ctx_, "203.0.113.50");
  ASSERT_TRUE(r.ok());
  std::ostringstream out;
  WriteIpText(*r, out);
  EXPECT_EQ(out.str(),
            "Internal hosts that talked to 203.0.113.50 (proxy and firewall): 2 hosts, 6 records\n"
            "\n10.1.0.5\n"
            "  first seen      2026-11-26T10:00:00.000Z\n"
            "  last seen       2026-11-26T10:05:00.000Z\n"
            "  proxy requests  2\n"
            "  firewall        0\n"
            "  direction       2 outbound, 0 inbound\n"
            "  allowed/denied  2 allowed, 0 denied\n"
            "  bytes           0 sent, 4000 received\n"
            "  domains         203.0.113.50\n"
            "  users           alice (proxy, 2 records)\n"
            "\n10.1.0.9\n"
            "  first seen      2026-11-26T10:30:00.000Z\n"
            "  last seen       2026-11-26T11:31:00.000Z\n"
            "  proxy requests  1\n"
            "  firewall        3\n"
            "  direction       4 outbound, 0 inbound\n"
            "  allowed/denied  1 allowed, 3 denied\n"
            "  bytes           0 sent, 3964 received\n"
            "  domains         203.0.113.50\n"
            "  users           bob (radius, 1 logon)\n");
}

TEST_F(IpReportTest, InboundCidrAndHostName) {
  engine_.Add(
      "<4>Nov 26 13:00:00 fw1 kernel: [UFW ALLOW] IN=eth0 OUT=eth1 SRC=203.0.113.51 "
      "DST=10.1.0.7 LEN=60 PROTO=TCP SPT=443 DPT=50000");
  StatusOr<IpReport> r = InvestigateIp(ctx_, "203.0.113.0/24");
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->hosts.size(), 3u);
  EXPECT_EQ(r->hosts[2].ip, "10.1.0.7");
  EXPECT_EQ(r->hosts[2].inbound, 1u);
  EXPECT_EQ(r->hosts[2].proxy_requests, 0u);  // the proxy line's URL is not in a CIDR query

  r = InvestigateIp(ctx_, "www.example.com");
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->hosts.size(), 1u);
  EXPECT_EQ(r->hosts[0].ip, "10.1.0.5");
  EXPECT_EQ(r->hosts[0].proxy_requests, 1u);
}

TEST_F(IpReportTest, NothingFoundAndBadInput) {
  StatusOr<IpReport> r = InvestigateIp(ctx_, "198.51.100.99");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->hosts.empty());
  std::ostringstream out;
  WriteIpText(*r, out);
  EXPECT_EQ(out.str(),
            "Internal hosts that talked to 198.51.100.99 (proxy and firewall): 0 hosts, 0 "
            "records\n");
  for (const char* bad : {"", "a b", "10.0.0.1\" OR *", "1.2.3.4/99"}) {
    EXPECT_EQ(InvestigateIp(ctx_, bad).status().code(), Status::Code::kInvalidArgument) << bad;
  }
}

TEST_F(IpReportTest, Json) {
  StatusOr<IpReport> r = InvestigateIp(ctx_, "203.0.113.50");
  ASSERT_TRUE(r.ok());
  nlohmann::ordered_json j = IpJson(*r);
  EXPECT_EQ(j["hosts"][1]["ip"], "10.1.0.9");
  EXPECT_EQ(j["hosts"][1]["denied"], 3);
  EXPECT_EQ(j["hosts"][1]["users"][0]["name"], "bob");
  EXPECT_EQ(j["hosts"][1]["users"][0]["via"], "radius");
  EXPECT_EQ(j["hosts"][1]["users"][0]["logons_ok"], 1);
}

}  // namespace
}  // namespace kiroku::investigate

#include "evidence/audit_log.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "common/metrics.h"
#include "common/testing/temp_dir.h"
#include "store/journal_reader.h"
#include "syslog/parser.h"

namespace kiroku::evidence {
namespace {

TEST(FormatAuditRecord, IsRfc5424FromHostKirokuWithMsgidAndStructuredData) {
  AuditEvent e{
      kAuditStart, kSeverityNotice, {{"version", "0.1.0"}, {"odd", "a\"b]c\\d"}}, "kiroku started"};
  std::string text = FormatAuditRecord(e, 1'767'225'600'123'456'789, 42);
  EXPECT_EQ(text,
            "<109>1 2026-01-01T00:00:00.123456Z kiroku kiroku 42 start [kiroku@32473 "
            "version=\"0.1.0\" odd=\"a\\\"b\\]c\\\\d\"] kiroku started");
  syslog::ZoneRules zones;
  RecordView r;
  r.raw = text;
  SyslogHeader h = syslog::ParseSyslog(text, 0, zones, PeerAddress{});
  r.header = h;
  EXPECT_FALSE(h.parse_error);
  EXPECT_EQ(r.Field(h.host), "kiroku");
  EXPECT_EQ(r.Field(h.app), "kiroku");
  EXPECT_EQ(r.Field(h.msgid), "start");
  EXPECT_EQ(h.facility, 13);
  EXPECT_EQ(h.severity, 5);
  EXPECT_EQ(r.Field(h.msg), "kiroku started");
}

TEST(VerifyReportEvent, TakesTheInboxContract) {
  auto e = VerifyReportEvent(
      R"({"time":"2026-01-01T00:00:00Z","result":"tampered","exit_code":1,"detail":"seq 7"})");
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->msgid, kAuditVerify);
  EXPECT_EQ(e->severity, kSeverityError);
  EXPECT_EQ(e->params[1], (std::pair<std::string, std::string>{"result", "tampered"}));
  EXPECT_FALSE(VerifyReportEvent(R"({"time":"x","result":"intact"})").ok());
  EXPECT_FALSE(VerifyReportEvent("nope").ok());
}

TEST(AuditLog, WritesRecordsAndDrainsTheInbox) {
  testing::TempDir dir;
  PosixFs fs;
  FakeClock clock(1'767'225'600'000'000'000);
  Metrics metrics;
  store::CommitterOptions o;
  o.journal_dir = dir.path() + "/journal";
  o.sync = false;
  auto c = store::Committer::Open(fs, clock, metrics, o);
  ASSERT_TRUE(c.ok());
  const std::string inbox = dir.path() + "/audit-inbox";
  AuditLog audit(fs, clock, **c, inbox);
  ASSERT_TRUE(audit.WriteNow({kAuditStart, kSeverityNotice, {{"version", "0.1.0"}}, "up"}).ok());
  std::filesystem::create_directories(inbox);
  std::ofstream(inbox + "/20260101-1.json")
      << R"({"time":"2026-01-01T00:00:00Z","result":"intact","exit_code":0,"detail":"ok"})";
  std::ofstream(inbox + "/20260101-2.json") << "garbage";
  std::ofstream(inbox + "/20260101-3.json.tmp") << "half written";
  auto n = audit.PollInbox();
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 2);
  EXPECT_FALSE(std::filesystem::exists(inbox + "/20260101-1.json"));
  EXPECT_FALSE(std::filesystem::exists(inbox + "/20260101-2.json"));
  EXPECT_TRUE(std::filesystem::exists(inbox + "/20260101-3.json.tmp"));
  (*c)->Stop();

  std::vector<std::string> raws;
  std::vector<Transport> transports;
  ASSERT_TRUE(store::ScanJournal(
                  fs, o.journal_dir, {},
                  [&](const RecordView& r) {
                    raws.emplace_back(r.raw);
                    transports.push_back(r.transport);
                    return true;
                  },
                  nullptr)
                  .ok());
  ASSERT_EQ(raws.size(), 3u);
  EXPECT_NE(raws[0].find(" start [kiroku@32473 version=\"0.1.0\"]"), std::string::npos);
  EXPECT_NE(raws[1].find(" verify [kiroku@32473 time=\"2026-01-01T00:00:00Z\" result=\"intact\""),
            std::string::npos)
      << raws[1];
  EXPECT_NE(raws[2].find("result=\"invalid-report\""), std::string::npos) << raws[2];
  for (Transport t : transports) EXPECT_EQ(t, Transport::kInternal);
}

}  // namespace
}  // namespace kiroku::evidence

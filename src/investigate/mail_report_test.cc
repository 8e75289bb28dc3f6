#include "investigate/mail_report.h"

#include <gtest/gtest.h>

#include <sstream>

#include "investigate/testing/scenario_fixture.h"

namespace kiroku::investigate {
namespace {

using testing::At;
using MailReportTest = testing::ScenarioTest;

void ExpectMaliciousMail(const Mail& m) {
  EXPECT_EQ(m.host, "mx1");
  EXPECT_EQ(m.queue_id, "4F2A1B3C9D");
  EXPECT_EQ(m.message_id, "m1@evil.example");
  EXPECT_EQ(m.from, "boss@evil.example");
  EXPECT_EQ(m.client_ip, "198.51.100.66");
  EXPECT_EQ(TimeText(m.first_ns), At("09:00:00"));
  EXPECT_EQ(TimeText(m.last_ns), At("09:00:05"));
  EXPECT_EQ(m.attachments, std::vector<std::string>{"Invoice Nov.pdf.exe"});
  ASSERT_EQ(m.recipients.size(), 3u);
  EXPECT_EQ(m.recipients[0].address, "a1@corp.example");
  EXPECT_EQ(m.recipients[0].status, "sent");
  EXPECT_EQ(m.recipients[1].address, "a2@corp.example");
  EXPECT_EQ(m.recipients[1].status, "sent");
  EXPECT_EQ(m.recipients[2].address, "a3@corp.example");
  EXPECT_EQ(m.recipients[2].status, "bounced");
  EXPECT_EQ(m.recipients[2].reason, "unknown user: \"a3\"");
  EXPECT_EQ(m.events.size(), 8u);
}

TEST_F(MailReportTest, ByMessageIdWithRelatedMails) {
  StatusOr<MailReport> r = InvestigateMail(ctx_, MailQuery{.message_id = "<m1@evil.example>"});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->value, "m1@evil.example");
  ASSERT_EQ(r->mails.size(), 1u);
  ExpectMaliciousMail(r->mails[0]);
  ASSERT_EQ(r->same_sender.size(), 1u);
  EXPECT_EQ(r->same_sender[0].message_id, "m2@evil.example");
  EXPECT_EQ(r->same_sender[0].recipients.size(), 1u);
  ASSERT_EQ(r->same_attachment.size(), 1u);
  EXPECT_EQ(r->same_attachment[0].message_id, "m3@other.example");
  EXPECT_EQ(r->same_attachment[0].from, "x@other.example");
}

TEST_F(MailReportTest, ByAttachmentNameWithBlanks) {
  StatusOr<MailReport> r = InvestigateMail(ctx_, MailQuery{.attachment = "invoice nov.pdf.exe"});
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->mails.size(), 2u);
  ExpectMaliciousMail(r->mails[0]);
  EXPECT_EQ(r->mails[1].message_id, "m3@other.example");
  ASSERT_EQ(r->same_sender.size(), 1u);  // m2 from boss@
  EXPECT_TRUE(r->same_attachment.empty());
}

TEST_F(MailReportTest, QuotesInTheNameAreALiteralValue) {
  StatusOr<MailReport> r =
      InvestigateMail(ctx_, MailQuery{.attachment = "x\" OR email.from.address:*"});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->mails.empty());
}

TEST_F(MailReportTest, BySender) {
  StatusOr<MailReport> r = InvestigateMail(ctx_, MailQuery{.sender = "BOSS@evil.example"});
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->mails.size(), 2u);
  EXPECT_TRUE(r->same_sender.empty());
  ASSERT_EQ(r->same_attachment.size(), 1u);
}

TEST_F(MailReportTest, ExactlyOneSelector) {
  EXPECT_EQ(InvestigateMail(ctx_, MailQuery{}).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(InvestigateMail(ctx_, MailQuery{.message_id = "a", .sender = "b"}).status().code(),
            Status::Code::kInvalidArgument);
}

TEST_F(MailReportTest, Text) {
  StatusOr<MailReport> r = InvestigateMail(ctx_, MailQuery{.message_id = "m1@evil.example"});
  ASSERT_TRUE(r.ok());
  std::ostringstream out;
  WriteMailText(*r, out);
  EXPECT_EQ(out.str(),
            "Mails with message-id m1@evil.example: 1\n"
            "\n4F2A1B3C9D on mx1\n"
            "  message-id   m1@evil.example\n"
            "  from         boss@evil.example\n"
            "  client       198.51.100.66\n"
            "  first, last  2026-11-26T09:00:00.000Z, 2026-11-26T09:00:05.000Z\n"
            "  attachments  Invoice Nov.pdf.exe\n"
            "  recipients   3\n"
            "    a1@corp.example  sent  (delivered to mailbox)\n"
            "    a2@corp.example  sent  (delivered to mailbox)\n"
            "    a3@corp.example  bounced  (unknown user: \"a3\")\n"
            "  events\n"
            "    2026-11-26T09:00:00.000Z  mx1  receive  -\n"
            "    2026-11-26T09:00:01.000Z  mx1  message-id  -\n"
            "    2026-11-26T09:00:01.000Z  mx1  warn  -  attachment\n"
            "    2026-11-26T09:00:02.000Z  mx1  queue  -\n"
            "    2026-11-26T09:00:03.000Z  mx1  deliver  sent  a1@corp.example delivered to "
            "mailbox\n"
            "    2026-11-26T09:00:03.000Z  mx1  deliver  sent  a2@corp.example delivered to "
            "mailbox\n"
            "    2026-11-26T09:00:04.000Z  mx1  deliver  bounced  a3@corp.example unknown user: "
            "\"a3\"\n"
            "    2026-11-26T09:00:05.000Z  mx1  removed  -\n"
            "\nOther mails from the same sender: 1\n"
            "  2026-11-26T09:10:00.000Z  mx1 5B3C2D4E0F  from boss@evil.example  to "
            "a4@corp.example  message-id m2@evil.example\n"
            "\nOther mails with the same attachment name: 1\n"
            "  2026-11-26T09:20:00.000Z  mx1 6C4D3E5F1A  from x@other.example  to "
            "a5@corp.example  message-id m3@other.example  attachments Invoice Nov.pdf.exe\n");
}

}  // namespace
}  // namespace kiroku::investigate

// Known answers for Postfix, Sendmail and Exim (testdata/mail.jsonl) and the tricky parts of
// their syntax.
#include "normalize/mail/mail.h"

#include <gtest/gtest.h>

#include "normalize/testing/kat.h"

namespace kiroku::normalize {
namespace {

using testing::MakeKatRecord;
using testing::RunKatFile;
using testing::ToMap;

TEST(MailKat, All) {
  int cases = RunKatFile("mail.jsonl", &NormalizeMail, &NewMailCorrelator);
  EXPECT_GE(cases, 60);
}

Event Normalize(const std::string& line) {
  auto rec = MakeKatRecord(line, "192.0.2.10", 1);
  Event e;
  NormalizeMail(Input::From(rec->view), Config(), &e);
  return e;
}

TEST(PostfixQueueId, ShortAndLong) {
  EXPECT_TRUE(IsPostfixQueueId("3F1A2B4C5D"));
  EXPECT_TRUE(IsPostfixQueueId("4Q9XyT0BbczZ1"));
  EXPECT_TRUE(IsPostfixQueueId("3Wpm1X1Lz4gz9cZ"));  // 'z' may occur in the time part
  EXPECT_FALSE(IsPostfixQueueId("4Q9Xyz0AbczZ1"));   // 'A' is not in the safe alphabet
  EXPECT_FALSE(IsPostfixQueueId("4Q9Xyb0Bbz1"));     // time part shorter than 10
  EXPECT_FALSE(IsPostfixQueueId("4Q9XyT0Bbcz"));     // no inode part
  EXPECT_FALSE(IsPostfixQueueId("warning"));
  EXPECT_FALSE(IsPostfixQueueId("NOQUEUE"));
  EXPECT_FALSE(IsPostfixQueueId("statistics"));
  EXPECT_FALSE(IsPostfixQueueId("ABC"));
  EXPECT_FALSE(IsPostfixQueueId("3F1A-2B4C5D"));
}

TEST(EximMessageId, Formats) {
  EXPECT_TRUE(IsEximMessageId("1vABCD-000123-Ab"));
  EXPECT_TRUE(IsEximMessageId("1rXyZa-00000012345-AbCd"));
  EXPECT_FALSE(IsEximMessageId("1vABCD-000123-A"));
  EXPECT_FALSE(IsEximMessageId("1vABCD_000123-Ab"));
}

TEST(PostfixAttachment, CutAtTwoHundredBytesIsNotTaken) {
  std::string name(190, 'a');
  std::string line =
      "<22>Nov 26 14:37:42 mx1 postfix/cleanup[1]: 3F1A2B4C5D: warning: header "
      "Content-Type: application/x; name=" +
      name + " from h[203.0.113.9]; from=<a@b.example> to=<c@d.example> proto=ESMTP helo=<h>";
  Event e = Normalize(line);
  EXPECT_FALSE(e.Has(Field::kEmailAttachmentsFileName));
  EXPECT_EQ(e.Get(Field::kEventAction), "warn");
}

TEST(PostfixAttachment, Rfc2231Decoded) {
  Event e = Normalize(
      "<22>Nov 26 14:37:42 mx1 postfix/cleanup[1]: 3F1A2B4C5D: warning: header "
      "Content-Disposition: attachment; filename*=UTF-8''rechnung%20nov.pdf.exe from "
      "h[203.0.113.9]; from=<a@b.example> to=<c@d.example> proto=ESMTP helo=<h>");
  EXPECT_EQ(e.Get(Field::kEmailAttachmentsFileName), "rechnung nov.pdf.exe");
  Event bad = Normalize(
      "<22>Nov 26 14:37:42 mx1 postfix/cleanup[1]: 3F1A2B4C5D: warning: header "
      "Content-Disposition: attachment; filename*=UTF-8''x%2 from "
      "h[203.0.113.9]; from=<a@b.example>");
  EXPECT_FALSE(bad.Has(Field::kEmailAttachmentsFileName));
}

TEST(PostfixHeader, FromInsideTheHeaderText) {
  Event e = Normalize(
      "<22>Nov 26 14:37:42 mx1 postfix/cleanup[1]: 3F1A2B4C5D: warning: header Subject: mail "
      "from the boss from h.example[203.0.113.9]; from=<a@b.example> to=<c@d.example> "
      "proto=ESMTP helo=<h>: subject logged");
  EXPECT_EQ(e.Get(Field::kEmailSubject), "mail from the boss");
  EXPECT_EQ(e.Get(Field::kSourceIp), "203.0.113.9");
  EXPECT_EQ(e.Get(Field::kEventReason), "subject logged");
}

TEST(MailCorrelator, EmptyAndUnknownQueueIds) {
  auto corr = NewMailCorrelator();
  auto rec = MakeKatRecord("<22>Nov 26 14:37:42 mx1 postfix/qmgr[1]: 3F1A2B4C5D: removed",
                           "192.0.2.10", 1);
  Event e;
  NormalizeMail(Input::From(rec->view), Config(), &e);
  corr->Enrich(rec->view, &e);  // nothing observed: nothing added
  EXPECT_EQ(ToMap(e).size(), 6u);
}

}  // namespace
}  // namespace kiroku::normalize

#include "normalize/database/database.h"

#include <gtest/gtest.h>

#include <string>

#include "normalize/testing/kat.h"

namespace kiroku::normalize {
namespace {

using testing::MakeKatRecord;

Event Normalize(const std::string& line) {
  auto r = MakeKatRecord(line, "192.0.2.10", 1);
  Event e;
  NormalizeDatabase(Input::From(r->view), Config(), &e);
  EXPECT_EQ(e.rejected(), 0) << line;
  return e;
}

TEST(DatabaseKat, All) { EXPECT_EQ(testing::RunKatFile("database.jsonl", &NormalizeDatabase), 59); }

TEST(Postgres, PrefixValuesGiveWayToTheMessage) {
  // The prefix says bob@sales; the message names the user that failed, which wins.
  Event e = Normalize(
      "2026-11-26 14:37:43.001 UTC [4712] bob@sales FATAL:  password authentication "
      "failed for user \"eve\"");
  EXPECT_EQ(e.Get(Field::kUserName), "eve");
  EXPECT_EQ(e.Get(Field::kDbName), "sales");
}

TEST(Postgres, TruncatedLinesGiveNothingWrong) {
  // A cut pgaudit line: the prefix is still read, the statement is not guessed.
  Event audit = Normalize("2026-11-26 14:37:42.123 UTC [4711] alice@sales LOG:  AUDIT: SESSION,1");
  EXPECT_EQ(audit.Get(Field::kEventAction), "log");
  EXPECT_FALSE(audit.Has(Field::kDbStatement));
  EXPECT_TRUE(Normalize("LOG:  duration: 1.0").empty());
  Event e = Normalize(
      "2026-11-26 14:37:44.500 UTC [4713] x@y FATAL:  no pg_hba.conf entry for host \"10.0");
  EXPECT_FALSE(e.Has(Field::kSourceIp));
  EXPECT_FALSE(e.Has(Field::kUserName) && e.Get(Field::kUserName) != "x");
}

TEST(MariadbAudit, ObjectWithTrailingCommaInsideQuotes) {
  Event e =
      Normalize("20261126 14:37:42,dbhost,alice,10.0.0.5,12,34,QUERY,sales,'SELECT \\'a,\\'',0");
  EXPECT_EQ(e.Get(Field::kDbStatement), "SELECT \\'a,\\'");
  EXPECT_EQ(e.Get(Field::kEventOutcome), "success");
}

TEST(SambaAudit, TooManyFieldsIsNotRead) {
  std::string line = "<166>Nov 26 14:37:42 fs1 smbd_audit: alice|10.0.0.5|openat|ok";
  for (int i = 0; i < 20; ++i) line += "|x";
  EXPECT_TRUE(Normalize(line).empty());
}

TEST(MysqlGeneral, OddSpacingAndNoArgument) {
  Event e = Normalize("2026-11-26T14:37:42.123456+01:00\t1 Quit");
  EXPECT_EQ(e.Get(Field::kEventAction), "logout");
  EXPECT_TRUE(Normalize("2026-11-26T14:37:42.123456Z\t12Query\tSELECT 1").empty());
}

}  // namespace
}  // namespace kiroku::normalize

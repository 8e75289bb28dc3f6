#include "query/format_table.h"

#include <gtest/gtest.h>

#include <sstream>

#include "query/internal/format_test_util.h"
#include "query/internal/test_records.h"

namespace kiroku::query {
namespace {

using internal::Format;

std::string Safe(std::string_view s) {
  std::string out;
  AppendTerminalSafe(s, &out);
  return out;
}

TEST(TableFormatterTest, AlignsColumnsAndEscapesContent) {
  internal::TestRecord sshd = internal::SshdRecord();
  internal::TestRecord garbage = internal::GarbageRecord();
  internal::TestRecord backup = internal::BackupRecord();
  EXPECT_EQ(Format(OutputFormat::kTable, {&sshd, &garbage, &backup}),
            "TIME                      HOST               APP               MESSAGE\n"
            "2026-11-26T14:29:59.500Z  web01.example.com  sshd[4242]        Failed password for "
            "invalid user admin from 10.1.2.3 port 51234 ssh2\n"
            "2026-11-26T14:30:00.000Z  -                  -                 GET "
            "/index.html\\x00\\xff HTTP/1.1\n"
            "2026-11-26T14:30:00.000Z  db-01              backup[worker-3]  copied \"a,b\"\\nnext "
            "\\x1b[31mred\\x1b[0m \\u202eevil \\\\ ログ\n");
}

TEST(TableFormatterTest, TimeColumnIsTheChosenTime) {
  internal::TestRecord sshd = internal::SshdRecord();
  RecordTimes corrected{.mode = "corrected",
                        .shown_ns = 1'795'703'396'499'750'000,
                        .device_ns = 1'795'703'399'500'000'000,
                        .estimated = true,
                        .corrected_ns = 1'795'703'396'499'750'000};
  std::ostringstream out;
  TableFormatter f(out);
  f.Write(sshd.view(), nullptr, &corrected);
  f.Finish();
  EXPECT_NE(out.str().find("\n2026-11-26T14:29:56.499Z  web01"), std::string::npos) << out.str();
}

TEST(TableFormatterTest, NothingForNoRecords) { EXPECT_EQ(Format(OutputFormat::kTable, {}), ""); }

TEST(TableFormatterTest, EmptyMessageLeavesNoTrailingBlanks) {
  internal::TestRecord r("<13>host app: ");
  r.Set(&SyslogHeader::host, "host").Set(&SyslogHeader::app, "app");
  EXPECT_EQ(Format(OutputFormat::kTable, {&r}),
            "TIME                      HOST  APP  MESSAGE\n"
            "2026-11-26T14:30:00.000Z  host  app\n");
}

TEST(TableFormatterTest, TerminalSafe) {
  EXPECT_EQ(Safe("plain text, ok"), "plain text, ok");
  EXPECT_EQ(Safe("a\\b"), "a\\\\b");
  EXPECT_EQ(Safe("\t\r\n"), "\\t\\r\\n");
  EXPECT_EQ(Safe(std::string("\0\x07\x1b\x7f", 4)), "\\x00\\x07\\x1b\\x7f");
  EXPECT_EQ(Safe("\xC2\x9B"
                 "31m"),
            "\\u009b31m");  // C1 CSI
  EXPECT_EQ(Safe("\u202Eevil\u2066x\u2069"), "\\u202eevil\\u2066x\\u2069");
  EXPECT_EQ(Safe("caf\xC3\xA9 ログ"), "café ログ");
  EXPECT_EQ(Safe("\xff\xfe"), "\\xff\\xfe");
  EXPECT_EQ(Safe("\xE3\x83"), "\\xe3\\x83");           // truncated sequence
  EXPECT_EQ(Safe("\xED\xA0\x80"), "\\xed\\xa0\\x80");  // surrogate
  EXPECT_EQ(Safe("\xC0\xAF"), "\\xc0\\xaf");           // overlong '/'
}

TEST(TableFormatterTest, DisplayWidthCountsWideCharactersTwice) {
  EXPECT_EQ(DisplayWidth("abc"), 3u);
  EXPECT_EQ(DisplayWidth("ログ"), 4u);
  EXPECT_EQ(DisplayWidth("café"), 4u);
  internal::TestRecord r("<13>ホスト app: hi");
  r.Set(&SyslogHeader::host, "ホスト").Set(&SyslogHeader::app, "app").Set(&SyslogHeader::msg, "hi");
  internal::TestRecord s("<13>h app: yo");
  s.Set(&SyslogHeader::host, "h").Set(&SyslogHeader::app, "app").Set(&SyslogHeader::msg, "yo");
  EXPECT_EQ(Format(OutputFormat::kTable, {&r, &s}),
            "TIME                      HOST    APP  MESSAGE\n"
            "2026-11-26T14:30:00.000Z  ホスト  app  hi\n"
            "2026-11-26T14:30:00.000Z  h       app  yo\n");
}

}  // namespace
}  // namespace kiroku::query

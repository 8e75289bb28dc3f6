#include "query/format_csv.h"

#include <gtest/gtest.h>

#include <sstream>

#include "query/internal/format_test_util.h"
#include "query/internal/test_records.h"

namespace kiroku::query {
namespace {

using internal::Format;

constexpr char kHeader[] =
    "@timestamp,event.created,host.name,process.name,process.pid,log.syslog.procid,"
    "log.syslog.facility.code,log.syslog.severity.code,log.syslog.msgid,log.source.address,"
    "log.source.port,kiroku.seq,kiroku.transport,kiroku.truncated,kiroku.parse_error,"
    "kiroku.framing_error,kiroku.original_length,log.syslog.structured_data,message\r\n";

std::string Field(std::string_view s) {
  std::string out;
  AppendCsvField(s, &out);
  return out;
}

TEST(CsvFormatterTest, FixedColumnsOneRowPerRecord) {
  internal::TestRecord sshd = internal::SshdRecord();
  internal::TestRecord garbage = internal::GarbageRecord();
  internal::TestRecord backup = internal::BackupRecord();
  EXPECT_EQ(Format(OutputFormat::kCsv, {&sshd, &garbage, &backup}),
            std::string(kHeader) +
                "2026-11-26T14:29:59.500000000Z,2026-11-26T14:30:00.000000000Z,web01.example.com,"
                "sshd,4242,4242,4,6,ID47,192.0.2.10,51514,7,udp,false,false,false,161,"
                "\"[origin@32473 ip=\"\"192.0.2.10\"\"]\",Failed password for invalid user admin "
                "from 10.1.2.3 port 51234 ssh2\r\n"
                // Absent fields are empty cells; NUL and the invalid byte are U+FFFD.
                "2026-11-26T14:30:00.000000001Z,2026-11-26T14:30:00.000000001Z,,,,,,,,"
                "2001:db8::1,6514,8,tcp,true,true,false,9000,,GET /index.html\uFFFD\uFFFD "
                "HTTP/1.1\r\n"
                // Quotes doubled, the field quoted because of the comma, quote and newline.
                "2026-11-26T14:30:00.000000000Z,2026-11-26T14:30:02.000000000Z,db-01,backup,,"
                "worker-3,1,5,,,,9,import,false,false,false,91,,\"copied \"\"a,b\"\"\nnext "
                "\x1b[31mred\x1b[0m \u202Eevil \\ ログ\"\r\n");
}

TEST(CsvFormatterTest, TimeColumnIsTheChosenTime) {
  internal::TestRecord sshd = internal::SshdRecord();
  RecordTimes received{.mode = "received",
                       .shown_ns = 1'795'703'400'000'000'000,
                       .device_ns = 1'795'703'399'500'000'000};
  std::ostringstream out;
  CsvFormatter f(out);
  f.Write(sshd.view(), nullptr, &received);
  f.Finish();
  EXPECT_EQ(out.str().substr(sizeof(kHeader) - 1, 62),
            "2026-11-26T14:30:00.000000000Z,2026-11-26T14:30:00.000000000Z,");
}

TEST(CsvFormatterTest, HeaderEvenWithoutRecords) {
  EXPECT_EQ(Format(OutputFormat::kCsv, {}), kHeader);
}

TEST(CsvFormatterTest, Rfc4180Quoting) {
  EXPECT_EQ(Field("plain"), "plain");
  EXPECT_EQ(Field(""), "");
  EXPECT_EQ(Field("a,b"), "\"a,b\"");
  EXPECT_EQ(Field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(Field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(Field("cr\rhere"), "\"cr\rhere\"");
  EXPECT_EQ(Field(" spaced "), " spaced ");
  EXPECT_EQ(Field("=1+1"), "=1+1");  // not defused; see format_csv.h
  EXPECT_EQ(Field(std::string("nul\0here", 8)), "nul\uFFFDhere");
}

}  // namespace
}  // namespace kiroku::query

#include "query/format_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "query/internal/format_test_util.h"
#include "query/internal/test_records.h"

namespace kiroku::query {
namespace {

using internal::Format;

std::string Str(std::string_view s) {
  std::string out;
  AppendJsonString(s, &out);
  return out;
}

TEST(JsonFormatterTest, OneNestedEcsObjectPerLine) {
  internal::TestRecord sshd = internal::SshdRecord();
  internal::TestRecord garbage = internal::GarbageRecord();
  internal::TestRecord backup = internal::BackupRecord();
  EXPECT_EQ(
      Format(OutputFormat::kJson, {&sshd, &garbage, &backup}),
      R"({"@timestamp":"2026-11-26T14:29:59.500000000Z","event":{"created":"2026-11-26T14:30:00.000000000Z"},)"
      R"("host":{"name":"web01.example.com"},"log":{"syslog":{"facility":{"code":4},"severity":{"code":6},)"
      R"("msgid":"ID47","structured_data":{"origin@32473":{"ip":"192.0.2.10"}}},)"
      R"("source":{"address":"192.0.2.10","port":51514}},"process":{"name":"sshd","pid":4242},)"
      R"("message":"Failed password for invalid user admin from 10.1.2.3 port 51234 ssh2",)"
      R"("kiroku":{"seq":7,"transport":"udp","truncated":false,"parse_error":false,"framing_error":false,"original_length":161}})"
      "\n"
      // Parse error and invalid UTF-8: event.original shows the line, raw_base64 the bytes.
      R"({"@timestamp":"2026-11-26T14:30:00.000000001Z","event":{"created":"2026-11-26T14:30:00.000000001Z",)"
      R"("original":"GET /index.html\u0000� HTTP/1.1"},"log":{"source":{"address":"2001:db8::1","port":6514}},)"
      R"("message":"GET /index.html\u0000� HTTP/1.1","kiroku":{"seq":8,"transport":"tcp","truncated":true,)"
      R"("parse_error":true,"framing_error":false,"original_length":9000,)"
      R"("raw_base64":"R0VUIC9pbmRleC5odG1sAP8gSFRUUC8xLjE="}})"
      "\n"
      R"({"@timestamp":"2026-11-26T14:30:00.000000000Z","event":{"created":"2026-11-26T14:30:02.000000000Z"},)"
      R"("host":{"name":"db-01"},"log":{"syslog":{"facility":{"code":1},"severity":{"code":5},"procid":"worker-3"}},)"
      R"("process":{"name":"backup"},"message":"copied \"a,b\"\nnext \u001b[31mred\u001b[0m )"
      "\u202E"
      R"(evil \\ ログ","kiroku":{"seq":9,"transport":"import","truncated":false,"parse_error":false,"framing_error":false,"original_length":91}})"
      "\n");
}

TEST(JsonFormatterTest, GarbageRecordHasOneReplacementPerInvalidByte) {
  // "\0\xff" is NUL (escaped) then one invalid byte (one U+FFFD); the test above spells the
  // U+FFFD as a character, so check the count here explicitly.
  internal::TestRecord garbage = internal::GarbageRecord();
  std::string line = Format(OutputFormat::kJson, {&garbage});
  EXPECT_NE(line.find("html\\u0000\uFFFD HTTP"), std::string::npos);
}

TEST(JsonFormatterTest, LinesParseAsJson) {
  internal::TestRecord sshd = internal::SshdRecord();
  internal::TestRecord garbage = internal::GarbageRecord();
  internal::TestRecord backup = internal::BackupRecord();
  std::istringstream lines(Format(OutputFormat::kJson, {&sshd, &garbage, &backup}));
  int n = 0;
  for (std::string line; std::getline(lines, line); ++n) {
    nlohmann::json j = nlohmann::json::parse(line);  // throws on invalid JSON or UTF-8
    EXPECT_TRUE(j.contains("@timestamp"));
  }
  EXPECT_EQ(n, 3);
}

TEST(JsonFormatterTest, StructuredDataRepeatedParamsAndBadSd) {
  internal::TestRecord r("<13>1 - h a - - [x@1 k=\"1\" k=\"2\" q=\"a\\\"b\\]c\\d\"][y@2] hi");
  r.Set(&SyslogHeader::host, "h")
      .Set(&SyslogHeader::app, "a")
      .Set(&SyslogHeader::structured_data, "[x@1 k=\"1\" k=\"2\" q=\"a\\\"b\\]c\\d\"][y@2]")
      .Set(&SyslogHeader::msg, "hi");
  std::string line = Format(OutputFormat::kJson, {&r});
  EXPECT_NE(line.find(R"("structured_data":{"x@1":{"k":["1","2"],"q":"a\"b]c\\d"},"y@2":{}})"),
            std::string::npos)
      << line;
  EXPECT_EQ(line.find("\"original\""), std::string::npos);

  internal::TestRecord bad("<13>1 - h a - - [x@1 k=1] hi");
  bad.Set(&SyslogHeader::structured_data, "[x@1 k=1]").Set(&SyslogHeader::msg, "hi");
  line = Format(OutputFormat::kJson, {&bad});
  EXPECT_EQ(line.find("structured_data"), std::string::npos) << line;
  EXPECT_NE(line.find(R"("original":"<13>1 - h a - - [x@1 k=1] hi")"), std::string::npos) << line;
}

// --time: @timestamp is the chosen time; kiroku.time carries the others. The sshd record's
// device time is 14:29:59.500, received 14:30:00.000.
TEST(JsonFormatterTest, TimesUnderKirokuTime) {
  internal::TestRecord sshd = internal::SshdRecord();
  constexpr int64_t kDevice = 1'795'703'399'500'000'000;
  RecordTimes t{.mode = "corrected",
                .shown_ns = kDevice - 3'000'250'000,
                .device_ns = kDevice,
                .estimated = true,
                .corrected_ns = kDevice - 3'000'250'000,
                .uncertainty_ns = 1'500'000,
                .receive_unsynced = true};
  std::ostringstream out;
  JsonFormatter f(out);
  f.Write(sshd.view(), nullptr, &t);
  RecordTimes device{.mode = "device", .shown_ns = kDevice, .device_ns = kDevice};
  f.Write(sshd.view(), nullptr, &device);
  f.Finish();
  std::istringstream lines(out.str());
  std::string line;
  ASSERT_TRUE(std::getline(lines, line));
  EXPECT_EQ(line.rfind(R"({"@timestamp":"2026-11-26T14:29:56.499750000Z","event":{"created":)", 0),
            0)
      << line;
  EXPECT_NE(line.find(R"("original_length":161,"time":{"mode":"corrected",)"
                      R"("device":"2026-11-26T14:29:59.500000000Z",)"
                      R"("corrected":"2026-11-26T14:29:56.499750000Z","uncertainty_ms":1.5},)"
                      R"("receive_unsynced":true}})"),
            std::string::npos)
      << line;
  ASSERT_TRUE(std::getline(lines, line));
  // No estimate: no corrected time, no uncertainty; a synced receive adds nothing.
  EXPECT_NE(line.find(R"("time":{"mode":"device","device":"2026-11-26T14:29:59.500000000Z"}}})"),
            std::string::npos)
      << line;
  EXPECT_EQ(line.rfind(R"({"@timestamp":"2026-11-26T14:29:59.500000000Z")", 0), 0) << line;
}

TEST(JsonFormatterTest, NothingForNoRecords) { EXPECT_EQ(Format(OutputFormat::kJson, {}), ""); }

TEST(JsonFormatterTest, StringEscapes) {
  EXPECT_EQ(Str("plain"), R"("plain")");
  EXPECT_EQ(Str("q\"b\\"), R"("q\"b\\")");
  EXPECT_EQ(Str("\b\f\n\r\t"), R"("\b\f\n\r\t")");
  EXPECT_EQ(Str(std::string("\0\x01\x1f\x7f", 4)), "\"\\u0000\\u0001\\u001f\x7f\"");
  EXPECT_EQ(Str("/ ログ"), "\"/ ログ\"");
  EXPECT_EQ(Str("a\xff"
                "b"),
            "\"a\uFFFDb\"");
  EXPECT_EQ(Str("\xE3\x83"), "\"\uFFFD\"");  // truncated: one maximal subpart
  EXPECT_EQ(Str("\xF0\x80\x80\x80"), "\"\uFFFD\uFFFD\uFFFD\uFFFD\"");  // overlong: each byte
  EXPECT_EQ(Str("\xED\xA0\x80"), "\"\uFFFD\uFFFD\uFFFD\"");            // surrogate
  EXPECT_EQ(Str("\xF4\x90\x80\x80"), "\"\uFFFD\uFFFD\uFFFD\uFFFD\"");  // above U+10FFFF
  EXPECT_EQ(Str("\xF0\x9F\x98\x80"), "\"\xF0\x9F\x98\x80\"");          // U+1F600 passes
}

}  // namespace
}  // namespace kiroku::query

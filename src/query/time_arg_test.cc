#include "query/time_arg.h"

#include <gtest/gtest.h>

namespace kiroku::query {
namespace {

constexpr int64_t kSec = 1'000'000'000;
constexpr int64_t kNow = 1'795'703'400 * kSec;  // 2026-11-26T14:30:00Z

int64_t Arg(std::string_view s) {
  StatusOr<int64_t> v = ParseTimeArg(s, kNow);
  EXPECT_TRUE(v.ok()) << s << ": " << v.status().message();
  return v.ok() ? *v : -1;
}

std::string Err(std::string_view s) {
  StatusOr<int64_t> v = ParseTimeArg(s, kNow);
  if (v.ok()) return "ok: " + FormatRfc3339(*v);
  return v.status().message();
}

TEST(TimeArgTest, Rfc3339) {
  EXPECT_EQ(Arg("2026-11-26T14:30:00Z"), kNow);
  EXPECT_EQ(Arg("2026-11-26t14:30:00z"), kNow);
  EXPECT_EQ(Arg("2026-11-26 14:30:00Z"), kNow);
  EXPECT_EQ(Arg("2026-11-26T23:30:00+09:00"), kNow);
  EXPECT_EQ(Arg("2026-11-26T09:30:00-05:00"), kNow);
  EXPECT_EQ(Arg("2026-11-26T14:30:00.123Z"), kNow + 123'000'000);
  EXPECT_EQ(Arg("2026-11-26T14:30:00.123456789Z"), kNow + 123'456'789);
  EXPECT_EQ(Arg("2026-11-26T14:30:00.1234567899Z"), kNow + 123'456'789);  // truncated
  EXPECT_EQ(Arg("2016-12-31T23:59:60Z"), Arg("2017-01-01T00:00:00Z"));    // leap second
  EXPECT_EQ(Arg("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(Arg("1969-12-31T23:59:59.5Z"), -kSec / 2);
}

TEST(TimeArgTest, DateIsMidnightUtc) {
  EXPECT_EQ(Arg("2026-11-26"), kNow - (14 * 3600 + 30 * 60) * kSec);
  EXPECT_EQ(Arg("2024-02-29"), Arg("2024-02-29T00:00:00Z"));
}

TEST(TimeArgTest, RelativeToNow) {
  EXPECT_EQ(Arg("now"), kNow);
  EXPECT_EQ(Arg("30s"), kNow - 30 * kSec);
  EXPECT_EQ(Arg("15m"), kNow - kSec * 15 * 60);
  EXPECT_EQ(Arg("now-15m"), kNow - kSec * 15 * 60);
  EXPECT_EQ(Arg("2h"), kNow - kSec * 2 * 3600);
  EXPECT_EQ(Arg("7d"), kNow - kSec * 7 * 86400);
  EXPECT_EQ(Arg("1w"), kNow - kSec * 7 * 86400);
  EXPECT_EQ(Arg("0m"), kNow);
}

TEST(TimeArgTest, Precision) {
  EXPECT_EQ(ParseTimeValue("2026-11-26", kNow)->precision_ns, 86400 * kSec);
  EXPECT_EQ(ParseTimeValue("2026-11-26T14:30:00Z", kNow)->precision_ns, kSec);
  EXPECT_EQ(ParseTimeValue("2026-11-26T14:30:00.12Z", kNow)->precision_ns, 10'000'000);
  EXPECT_EQ(ParseTimeValue("2026-11-26T14:30:00.123456789Z", kNow)->precision_ns, 1);
  EXPECT_EQ(ParseTimeValue("15m", kNow)->precision_ns, 1);
}

TEST(TimeArgTest, Errors) {
  const std::string forms =
      "; use 2026-11-26T14:00:00Z, 2026-11-26T14:00:00+09:00, 2026-11-26, or 15m, 2h, 7d, now";
  EXPECT_EQ(Err(""), "'' is not a time" + forms);
  EXPECT_EQ(Err("yesterday"), "'yesterday' is not a time" + forms);
  EXPECT_EQ(Err("15"), "'15' is not a time (units are s, m, h, d, w)" + forms);
  EXPECT_EQ(Err("15M"), "'15M' is not a time (units are s, m, h, d, w)" + forms);
  EXPECT_EQ(Err("m"), "'m' is not a time" + forms);
  EXPECT_EQ(Err("-5m"), "'-5m' is not a time" + forms);
  EXPECT_EQ(Err("99999999999999w"), "'99999999999999w' is not a time (too far back)" + forms);
  EXPECT_EQ(Err("2026-11-26T14:30:00"),
            "'2026-11-26T14:30:00' is not a time (no zone: add Z for UTC or an offset such as "
            "+09:00)" +
                forms);
  EXPECT_EQ(Err("2026-11-26T14:30Z"),
            "'2026-11-26T14:30Z' is not a time (seconds are required)" + forms);
  EXPECT_EQ(Err("2026-02-30"), "'2026-02-30' is not a time (no such date)" + forms);
  EXPECT_EQ(Err("2026-13-01"), "'2026-13-01' is not a time (no such date)" + forms);
  EXPECT_EQ(Err("2026-11-26T24:00:00Z"),
            "'2026-11-26T24:00:00Z' is not a time (no such time of day)" + forms);
  EXPECT_EQ(Err("2026-11-26T14:30:00+9:00"),
            "'2026-11-26T14:30:00+9:00' is not a time (bad UTC offset)" + forms);
  EXPECT_EQ(Err("2026-11-26T14:30:00.Z"), "'2026-11-26T14:30:00.Z' is not a time" + forms);
  EXPECT_EQ(Err("2026-11-26T14:30:00Zjunk"), "'2026-11-26T14:30:00Zjunk' is not a time" + forms);
  EXPECT_EQ(Err("9999-01-01"), "'9999-01-01' is not a time (out of range)" + forms);
  EXPECT_EQ(Err("2026/11/26"), "'2026/11/26' is not a time" + forms);
}

TEST(TimeArgTest, FormatRfc3339) {
  EXPECT_EQ(FormatRfc3339(0), "1970-01-01T00:00:00.000000000Z");
  EXPECT_EQ(FormatRfc3339(kNow + 123'456'789), "2026-11-26T14:30:00.123456789Z");
  EXPECT_EQ(FormatRfc3339(kNow + 123'456'789, 3), "2026-11-26T14:30:00.123Z");
  EXPECT_EQ(FormatRfc3339(kNow + 999'999'999, 0), "2026-11-26T14:30:00Z");
  EXPECT_EQ(FormatRfc3339(-1), "1969-12-31T23:59:59.999999999Z");
  EXPECT_EQ(FormatRfc3339(INT64_MAX), "2262-04-11T23:47:16.854775807Z");
  EXPECT_EQ(FormatRfc3339(INT64_MIN), "1677-09-21T00:12:43.145224192Z");
}

TEST(TimeArgTest, RoundTrip) {
  for (int64_t ns : {int64_t{0}, kNow, kNow + 1, int64_t{-1}, int64_t{951'782'400} * kSec}) {
    EXPECT_EQ(Arg(FormatRfc3339(ns)), ns);
  }
}

}  // namespace
}  // namespace kiroku::query

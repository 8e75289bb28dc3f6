// Known answers for chrony, ntpd/NTPsec, systemd-timesyncd and Cisco NTP messages
// (testdata/timesync.jsonl), and the offset arithmetic.
#include "normalize/timesync/timesync.h"

#include <gtest/gtest.h>

#include "normalize/testing/kat.h"
#include "normalize/timesync/internal/ntp_common.h"

namespace kiroku::normalize {
namespace {

using internal::SecondsToMicros;
using testing::RunKatFile;

TEST(TimesyncKat, All) {
  int cases = RunKatFile("timesync.jsonl", &NormalizeTimesync);
  EXPECT_GE(cases, 40);
}

TEST(SecondsToMicros, RoundsAndSigns) {
  EXPECT_EQ(SecondsToMicros("1.234567"), 1234567);
  EXPECT_EQ(SecondsToMicros("-0.500000"), -500000);
  EXPECT_EQ(SecondsToMicros("+0.123456"), 123456);
  EXPECT_EQ(SecondsToMicros("0.0000005"), 1);
  EXPECT_EQ(SecondsToMicros("-0.0000005"), -1);
  EXPECT_EQ(SecondsToMicros("0.0000004999"), 0);
  EXPECT_EQ(SecondsToMicros("37"), 37000000);
  EXPECT_EQ(SecondsToMicros("0.5"), 500000);
  EXPECT_EQ(SecondsToMicros("1.9999996"), 2000000);
  EXPECT_FALSE(SecondsToMicros(""));
  EXPECT_FALSE(SecondsToMicros("-"));
  EXPECT_FALSE(SecondsToMicros("1."));
  EXPECT_FALSE(SecondsToMicros(".5"));
  EXPECT_FALSE(SecondsToMicros("1e3"));
  EXPECT_FALSE(SecondsToMicros("12345678901234"));  // beyond a million years: refused
  // 13 digits of seconds would need 19 digits of microseconds, more than an integer field holds.
  EXPECT_FALSE(SecondsToMicros("4888888888888"));
  EXPECT_EQ(SecondsToMicros("-999999999999.999999"), -999999999999999999);
}

}  // namespace
}  // namespace kiroku::normalize

#include "integrity/signing/clock_sync.h"

#include <gtest/gtest.h>
#include <sys/timex.h>

namespace kiroku::integrity::signing {
namespace {

TEST(ClockSyncTest, RealReadIsConsistentWithTheKernelFlags) {
  ClockSyncState s = AdjtimexClockSync().Read();
  if (s.synced) {
    EXPECT_EQ(0, s.status & STA_UNSYNC);
    EXPECT_GE(s.max_error_us, 0);
  }
  if (s.status & STA_UNSYNC) {
    EXPECT_FALSE(s.synced);
  }
}

TEST(ClockSyncTest, FakeReturnsWhatWasSet) {
  FakeClockSync fake;
  EXPECT_FALSE(fake.Read().synced);
  ClockSyncState s{.synced = true, .est_error_us = 12, .max_error_us = 345, .status = 0x2001};
  fake.Set(s);
  EXPECT_EQ(s, fake.Read());
}

}  // namespace
}  // namespace kiroku::integrity::signing

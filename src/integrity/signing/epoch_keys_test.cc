#include "integrity/signing/epoch_keys.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "integrity/signing/epoch.h"

namespace kiroku::integrity::signing {
namespace {

TEST(EpochScheduleTest, WindowsAreHalfOpenAndContiguous) {
  EpochSchedule s{.start_s = 1000, .length_s = 3600};
  constexpr int64_t kS = 1'000'000'000;
  EXPECT_FALSE(s.EpochAt(999 * kS + 999'999'999));
  EXPECT_EQ(Epoch{0}, *s.EpochAt(1000 * kS));
  EXPECT_EQ(Epoch{0}, *s.EpochAt((1000 + 3600) * kS - 1));
  EXPECT_EQ(Epoch{1}, *s.EpochAt((1000 + 3600) * kS));
  EXPECT_EQ((1000 + 2 * 3600) * kS, s.StartNs(Epoch{2}));
  EXPECT_EQ(s.StartNs(Epoch{3}), s.EndNs(Epoch{2}));
  EXPECT_TRUE(s.Contains(Epoch{2}, s.StartNs(Epoch{2})));
  EXPECT_FALSE(s.Contains(Epoch{2}, s.EndNs(Epoch{2})));
  // Hostile epoch numbers saturate rather than wrap into the past.
  EXPECT_EQ(INT64_MAX, s.StartNs(Epoch{UINT64_MAX}));
  EXPECT_FALSE(s.Contains(Epoch{UINT64_MAX}, 0));
}

TEST(EpochKeysTest, RatchetIsDeterministicAndOneWayLabelled) {
  RatchetSeed s0(std::string(32, '\x01'));
  RatchetSeed s1 = s0.Next();
  EXPECT_EQ(s1, RatchetSeed(std::string(32, '\x01')).Next());
  EXPECT_NE(s0, s1);
  EXPECT_EQ(s1.Next().Next(), s0.Advance(3));
  EXPECT_EQ(s0, s0.Advance(0));
  // The epoch key seed uses another label: it is not the next ratchet seed.
  Ed25519Seed k0 = EpochSigningSeed(s0, Epoch{0});
  EXPECT_NE(std::string(s1.View()),
            std::string(reinterpret_cast<const char*>(k0.bytes().data()), 32));
  // And it is bound to the epoch number.
  EXPECT_NE(EpochKeyPair(s0, Epoch{0}).public_key(), EpochKeyPair(s0, Epoch{1}).public_key());
}

TEST(EpochKeysTest, RandomSeedsDifferAndKeysSign) {
  RatchetSeed a = *RatchetSeed::Random();
  RatchetSeed b = *RatchetSeed::Random();
  EXPECT_NE(a, b);
  std::set<std::string> keys;
  RatchetSeed s = a;
  for (uint64_t e = 0; e < 50; ++e) {
    Ed25519KeyPair kp = EpochKeyPair(s, Epoch{e});
    keys.insert(kp.public_key().Hex());
    EXPECT_TRUE(Ed25519Verify(kp.public_key(), "m", kp.Sign("m")));
    s = s.Next();
  }
  EXPECT_EQ(50u, keys.size());
}

}  // namespace
}  // namespace kiroku::integrity::signing

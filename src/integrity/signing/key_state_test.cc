#include "integrity/signing/key_state.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdlib>
#include <iostream>

#include "common/testing/fault_fs.h"
#include "common/testing/temp_dir.h"
#include "integrity/signing/key_files.h"
#include "integrity/signing/key_tree.h"

namespace kiroku::integrity::signing {
namespace {

constexpr int64_t kStart = 1'767'225'600;  // 2026-01-01T00:00:00Z
constexpr int64_t kS = 1'000'000'000;

class KeyStateTest : public ::testing::Test {
 protected:
  std::string Dir() const { return tmp_.path() + "/keys"; }
  KeyInitParams Params(uint64_t epochs = 40) const {
    KeyInitParams p;
    p.horizon_epochs = epochs;
    return p;
  }
  std::unique_ptr<KeyState> InitKeys(uint64_t epochs = 40) {
    auto k = KeyState::Init(fs_, Dir(), Params(epochs), clock_);
    EXPECT_TRUE(k.ok()) << k.status().ToString();
    return k.ok() ? std::move(*k) : nullptr;
  }
  static ino_t Inode(const std::string& path) {
    struct stat st {};
    ::stat(path.c_str(), &st);
    return st.st_ino;
  }

  testing::TempDir tmp_;
  testing::FaultFs fs_;
  FakeClock clock_{(kStart + 1234) * kS};
};

TEST_F(KeyStateTest, InitWritesPrivateFilesAndAnAnchorThatMatchesTheKeys) {
  auto keys = InitKeys();
  ASSERT_NE(nullptr, keys);
  const TrustAnchor& a = keys->root_anchor();
  EXPECT_EQ(kStart, a.schedule.start_s);  // rounded down to the hour
  EXPECT_EQ(3600u, a.schedule.length_s);
  EXPECT_EQ(Epoch{0}, a.first_epoch);
  EXPECT_EQ(40u, a.epoch_count);
  EXPECT_EQ(Hash{}, a.previous_fingerprint);
  EXPECT_EQ(0700u, *fs_.FileMode(Dir()));
  EXPECT_EQ(0600u, *fs_.FileMode(Dir() + "/secret.key"));
  EXPECT_EQ(56u, *fs_.FileSize(Dir() + "/secret.key"));
  EXPECT_EQ(32u + 40 * 32, *fs_.FileSize(Dir() + "/" + PublicKeyFileName(Epoch{0})));
  auto from_file = TrustAnchorFromJson(*fs_.ReadFile(Dir() + "/anchor.json"));
  ASSERT_TRUE(from_file.ok()) << from_file.status().ToString();
  EXPECT_EQ(a, *from_file);
  EXPECT_EQ(Epoch{0}, keys->epoch());
  auto proof = keys->KeyProof();
  ASSERT_TRUE(proof.ok());
  EXPECT_TRUE(VerifyKeyInclusion(a, Epoch{0}, keys->public_key(), *proof));
  EXPECT_TRUE(Ed25519Verify(keys->public_key(), "x", keys->Sign("x")));
}

TEST_F(KeyStateTest, InitRefusesWhenKeysExist) {
  ASSERT_NE(nullptr, InitKeys());
  auto again = KeyState::Init(fs_, Dir(), Params(), clock_);
  EXPECT_EQ(Status::Code::kAlreadyExists, again.status().code());
}

TEST_F(KeyStateTest, AdvanceOverwritesTheSecretInPlaceAndCannotGoBack) {
  auto keys = InitKeys();
  ASSERT_NE(nullptr, keys);
  const std::string secret = Dir() + "/secret.key";
  const ino_t inode = Inode(secret);
  const std::string before = *fs_.ReadFile(secret);
  const Ed25519PublicKey k0 = keys->public_key();

  ASSERT_TRUE(keys->AdvanceTo(Epoch{3}).ok());
  EXPECT_EQ(Epoch{3}, keys->epoch());
  EXPECT_EQ(inode, Inode(secret));  // same file, not a renamed copy
  const std::string after = *fs_.ReadFile(secret);
  EXPECT_EQ(56u, after.size());
  EXPECT_NE(before, after);
  EXPECT_EQ(before.substr(0, 12), after.substr(0, 12));    // magic and version unchanged
  EXPECT_NE(before.substr(20, 32), after.substr(20, 32));  // seed replaced
  EXPECT_FALSE(fs_.FileSize(secret + ".tmp").ok());
  // The ratchet wrote and synced in place.
  bool wrote = false, synced = false;
  for (const std::string& e : fs_.events()) {
    if (e.rfind("write_at " + secret + " 0 56", 0) == 0) wrote = true;
    if (wrote && e == "sync " + secret) synced = true;
  }
  EXPECT_TRUE(wrote && synced);

  EXPECT_EQ(*keys->PublicKeyOf(Epoch{3}), keys->public_key());
  EXPECT_NE(k0, keys->public_key());
  EXPECT_EQ(Status::Code::kInvalidArgument, keys->AdvanceTo(Epoch{2}).code());
  EXPECT_TRUE(keys->AdvanceTo(Epoch{3}).ok());

  auto reopened = KeyState::Open(fs_, Dir());
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  EXPECT_EQ(Epoch{3}, (*reopened)->epoch());
  EXPECT_EQ(keys->public_key(), (*reopened)->public_key());
  // Nothing on disk can produce epoch 0..2's keys any more: the secret holds seed_3 only.
  auto file = DecodeSecretFile(after);
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(Epoch{3}, file->epoch);
}

TEST_F(KeyStateTest, AdvanceStopsAtTheHorizon) {
  auto keys = InitKeys(5);
  ASSERT_NE(nullptr, keys);
  EXPECT_TRUE(keys->AdvanceTo(Epoch{4}).ok());
  Status s = keys->AdvanceTo(Epoch{5});
  EXPECT_EQ(Status::Code::kInvalidArgument, s.code());
  EXPECT_NE(std::string::npos, s.message().find("rollover")) << s.message();
  EXPECT_EQ(Epoch{4}, keys->epoch());
}

TEST_F(KeyStateTest, OpenRefusesKeysOthersCanRead) {
  ASSERT_NE(nullptr, InitKeys());
  const std::string secret = Dir() + "/secret.key";
  ASSERT_TRUE(fs_.SetFileMode(secret, 0640).ok());
  auto opened = KeyState::Open(fs_, Dir());
  ASSERT_EQ(Status::Code::kPermissionDenied, opened.status().code());
  EXPECT_NE(std::string::npos, opened.status().message().find(secret));
  EXPECT_NE(std::string::npos, opened.status().message().find("0640"));
  EXPECT_NE(std::string::npos, opened.status().message().find("chmod 600 " + secret));

  ASSERT_TRUE(fs_.SetFileMode(secret, 0600).ok());
  ASSERT_TRUE(fs_.SetFileMode(Dir(), 0755).ok());
  opened = KeyState::Open(fs_, Dir());
  ASSERT_EQ(Status::Code::kPermissionDenied, opened.status().code());
  EXPECT_NE(std::string::npos, opened.status().message().find("chmod 700 " + Dir()));

  ASSERT_TRUE(fs_.SetFileMode(Dir(), 0700).ok());
  EXPECT_TRUE(KeyState::Open(fs_, Dir()).ok());
}

TEST_F(KeyStateTest, TornSecretWriteIsReportedNotSilentlyUsed) {
  auto keys = InitKeys();
  ASSERT_NE(nullptr, keys);
  fs_.Fail(testing::FaultFs::Op::kWriteAt, 1, EIO, /*sticky=*/false, /*keep=*/30);
  EXPECT_FALSE(keys->AdvanceTo(Epoch{2}).ok());
  EXPECT_EQ(Epoch{0}, keys->epoch());
  auto opened = KeyState::Open(fs_, Dir());
  EXPECT_EQ(Status::Code::kCorruption, opened.status().code()) << opened.status().ToString();
  // A retry rewrites the whole file.
  EXPECT_TRUE(keys->AdvanceTo(Epoch{2}).ok());
  EXPECT_TRUE(KeyState::Open(fs_, Dir()).ok());
}

TEST_F(KeyStateTest, OpenDetectsTamperedPublicKeysAndForeignSecrets) {
  ASSERT_NE(nullptr, InitKeys());
  const std::string pub = Dir() + "/" + PublicKeyFileName(Epoch{0});
  std::string bytes = *fs_.ReadFile(pub);
  bytes[40] ^= 1;
  ASSERT_TRUE(fs_.WriteFileAtomic(pub, bytes).ok());
  EXPECT_EQ(Status::Code::kCorruption, KeyState::Open(fs_, Dir()).status().code());
  bytes[40] ^= 1;
  ASSERT_TRUE(fs_.WriteFileAtomic(pub, bytes).ok());

  // Another installation's secret does not belong to this anchor.
  testing::TempDir other;
  auto foreign = KeyState::Init(fs_, other.path() + "/keys", Params(), clock_);
  ASSERT_TRUE(foreign.ok());
  std::string secret = *fs_.ReadFile(other.path() + "/keys/secret.key");
  auto f = fs_.OpenAppendable(Dir() + "/secret.key");
  ASSERT_TRUE(f.ok());
  ASSERT_TRUE((*f)->WriteAt(0, secret).ok());
  EXPECT_EQ(Status::Code::kCorruption, KeyState::Open(fs_, Dir()).status().code());
}

TEST_F(KeyStateTest, RolloverExtendsTheHorizonAndVerifiesAgainstTheOldAnchor) {
  auto keys = InitKeys(8);
  ASSERT_NE(nullptr, keys);
  ASSERT_TRUE(keys->AdvanceTo(Epoch{6}).ok());
  const TrustAnchor old = keys->root_anchor();
  auto next = keys->Rollover(10);
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_EQ(Epoch{8}, next->first_epoch);
  EXPECT_EQ(Fingerprint(old), next->previous_fingerprint);
  EXPECT_EQ(2u, keys->anchors().size());

  // An outside verifier with only the old anchor and the rollover file.
  auto file = RolloverFromJson(*fs_.ReadFile(Dir() + "/" + AnchorFileName(Epoch{8})));
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_EQ(*next, file->first);
  EXPECT_TRUE(VerifyRollover(old, file->first, file->second).ok());
  EXPECT_EQ(*next, *TrustAnchorFromJson(*fs_.ReadFile(Dir() + "/anchor.json")));

  // Tampering with any part fails.
  RolloverStatement bad = file->second;
  bad.signature.bytes[0] ^= 1;
  EXPECT_FALSE(VerifyRollover(old, file->first, bad).ok());
  bad = file->second;
  bad.signer_key_proof[0].bytes[0] ^= 1;
  EXPECT_FALSE(VerifyRollover(old, file->first, bad).ok());
  TrustAnchor longer = file->first;
  longer.epoch_count += 1;
  EXPECT_FALSE(VerifyRollover(old, longer, file->second).ok());
  // A statement signed by a non-final epoch key (which a thief at epoch 6 also holds) fails.
  bad = file->second;
  bad.signer_epoch = Epoch{6};
  EXPECT_FALSE(VerifyRollover(old, file->first, bad).ok());

  // The ratchet continues across the boundary, and a reopen loads both horizons.
  ASSERT_TRUE(keys->AdvanceTo(Epoch{12}).ok());
  auto reopened = KeyState::Open(fs_, Dir());
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  EXPECT_EQ(2u, (*reopened)->anchors().size());
  EXPECT_EQ(keys->public_key(), (*reopened)->public_key());
  auto proof = (*reopened)->KeyProof();
  ASSERT_TRUE(proof.ok());
  EXPECT_TRUE(VerifyKeyInclusion(*next, Epoch{12}, (*reopened)->public_key(), *proof));
  EXPECT_FALSE(VerifyKeyInclusion(old, Epoch{12}, (*reopened)->public_key(), *proof));
}

TEST_F(KeyStateTest, OpenRejectsAPlantedAnchorWithoutAValidRollover) {
  auto keys = InitKeys(8);
  ASSERT_NE(nullptr, keys);
  ASSERT_TRUE(keys->Rollover(4).ok());
  const std::string path = Dir() + "/" + AnchorFileName(Epoch{8});
  std::string text = *fs_.ReadFile(path);
  auto parsed = RolloverFromJson(text);
  ASSERT_TRUE(parsed.ok());
  parsed->second.signature.bytes[5] ^= 1;
  ASSERT_TRUE(fs_.WriteFileAtomic(path, RolloverToJson(parsed->first, parsed->second)).ok());
  EXPECT_EQ(Status::Code::kCorruption, KeyState::Open(fs_, Dir()).status().code());
}

// Set KIROKU_SIGNING_TIMING=1 to measure `kiroku init` for ten years of hourly keys.
TEST(KeyStateTiming, TenYearsOfHourlyKeys) {
  if (std::getenv("KIROKU_SIGNING_TIMING") == nullptr) GTEST_SKIP();
  RatchetSeed seed = *RatchetSeed::Random();
  auto t0 = std::chrono::steady_clock::now();
  auto keys = DeriveEpochPublicKeys(seed, Epoch{0}, kDefaultHorizonEpochs);
  auto t1 = std::chrono::steady_clock::now();
  Hash root = KeyTreeRoot(Epoch{0}, keys);
  auto t2 = std::chrono::steady_clock::now();
  auto proof = KeyTreeProof(Epoch{0}, keys, Epoch{4711});
  auto t3 = std::chrono::steady_clock::now();
  auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };
  std::cout << kDefaultHorizonEpochs << " keys derived in " << ms(t1 - t0) << " ms, key tree root "
            << ms(t2 - t1) << " ms, one key proof " << ms(t3 - t2) << " ms (" << proof.size()
            << " hashes)\n";
  EXPECT_NE(Hash{}, root);
  testing::TempDir tmp;
  FakeClock clock(kStart * kS);
  auto t4 = std::chrono::steady_clock::now();
  auto state = KeyState::Init(PosixFs::Default(), tmp.path() + "/keys", KeyInitParams{}, clock);
  auto t5 = std::chrono::steady_clock::now();
  ASSERT_TRUE(state.ok());
  auto t6 = std::chrono::steady_clock::now();
  auto opened = KeyState::Open(PosixFs::Default(), tmp.path() + "/keys");
  auto t7 = std::chrono::steady_clock::now();
  ASSERT_TRUE(opened.ok());
  std::cout << "KeyState::Init (10 years) " << ms(t5 - t4) << " ms, Open " << ms(t7 - t6)
            << " ms\n";
}

}  // namespace
}  // namespace kiroku::integrity::signing

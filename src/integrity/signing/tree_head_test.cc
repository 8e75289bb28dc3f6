#include "integrity/signing/tree_head.h"

#include <gtest/gtest.h>

#include "common/testing/temp_dir.h"
#include "integrity/signing/head_signer.h"
#include "integrity/signing/head_verify.h"
#include "integrity/signing/key_state.h"

namespace kiroku::integrity::signing {
namespace {

constexpr int64_t kStart = 1'767'225'600;
constexpr int64_t kS = 1'000'000'000;

class TreeHeadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    KeyInitParams p;
    p.horizon_epochs = 24;
    auto k = KeyState::Init(PosixFs::Default(), tmp_.path() + "/keys", p, clock_);
    ASSERT_TRUE(k.ok()) << k.status().ToString();
    keys_ = std::move(*k);
    signer_ = std::make_unique<HeadSigner>(*keys_, clock_, sync_);
    sync_.Set({.synced = true, .est_error_us = 50, .max_error_us = 1200, .status = 0x2001});
  }
  TreeHead SignOne(uint64_t size, const Hash& prev = Hash{}) {
    auto h = signer_->Sign(size, Sha256("root" + std::to_string(size)), prev);
    EXPECT_TRUE(h.ok()) << h.status().ToString();
    return *h;
  }
  const TrustAnchor& anchor() const { return keys_->root_anchor(); }

  testing::TempDir tmp_;
  FakeClock clock_{(kStart + 10) * kS};
  FakeClockSync sync_;
  std::unique_ptr<KeyState> keys_;
  std::unique_ptr<HeadSigner> signer_;
};

TEST_F(TreeHeadTest, SignedHeadVerifiesAndRoundTripsThroughJson) {
  TreeHead h = SignOne(42);
  EXPECT_EQ(Epoch{0}, h.epoch);
  EXPECT_TRUE(h.clock.synced);
  EXPECT_EQ(1200, h.clock.max_error_us);
  EXPECT_EQ(kHeadBodySize, EncodeHeadBody(h).size());
  HeadVerdict v = VerifyHead(h, anchor());
  EXPECT_TRUE(v.ok()) << v.detail;

  auto back = TreeHeadFromJson(TreeHeadToJson(h));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(h, *back);
  EXPECT_EQ(HeadHash(h), HeadHash(*back));
  auto body = DecodeHeadBody(EncodeHeadBody(h));
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(EncodeHeadBody(h), EncodeHeadBody(*body));
}

TEST_F(TreeHeadTest, EverySignedFieldIsCovered) {
  TreeHead h = SignOne(42);
  auto expect_bad = [&](TreeHead t, HeadError want) {
    HeadVerdict v = VerifyHead(t, anchor());
    EXPECT_EQ(want, v.error) << HeadErrorName(v.error) << " " << v.detail;
  };
  TreeHead t = h;
  t.tree_size++;
  expect_bad(t, HeadError::kBadSignature);
  t = h;
  t.root_hash.bytes[3] ^= 1;
  expect_bad(t, HeadError::kBadSignature);
  t = h;
  t.timestamp_ns += 1;
  expect_bad(t, HeadError::kBadSignature);
  t = h;
  t.previous_head_hash.bytes[0] ^= 1;
  expect_bad(t, HeadError::kBadSignature);
  t = h;
  t.clock.synced = false;
  expect_bad(t, HeadError::kBadSignature);
  t = h;
  t.clock.max_error_us = 1;
  expect_bad(t, HeadError::kBadSignature);
  t = h;
  t.signature.bytes[10] ^= 1;
  expect_bad(t, HeadError::kBadSignature);
  t = h;
  t.epoch_key_proof[0].bytes[0] ^= 1;
  expect_bad(t, HeadError::kKeyNotInAnchor);
  t = h;
  t.epoch = Epoch{1};  // the key is epoch 0's
  t.timestamp_ns += 3600 * kS;
  expect_bad(t, HeadError::kKeyNotInAnchor);
  t = h;
  t.epoch = Epoch{99};
  expect_bad(t, HeadError::kEpochNotInAnchor);
  t = h;
  t.version = 2;
  expect_bad(t, HeadError::kUnsupportedVersion);
  // The head hash covers the signature too.
  t = h;
  t.signature.bytes[0] ^= 1;
  EXPECT_NE(HeadHash(h), HeadHash(t));
}

// The forward-security property: with epoch 5's key (what a thief who takes the server in
// epoch 5 holds) no head dated in an earlier epoch verifies.
TEST_F(TreeHeadTest, LaterKeyCannotSignForEarlierTime) {
  clock_.Set((kStart + 5 * 3600 + 7) * kS);
  TreeHead h = SignOne(100);
  ASSERT_EQ(Epoch{5}, h.epoch);
  TreeHead forged = h;
  forged.timestamp_ns = (kStart + 2 * 3600) * kS;  // back-dated
  forged.signature = keys_->Sign(HeadSigningInput(forged));
  EXPECT_EQ(HeadError::kWrongEpochForTime, VerifyHead(forged, anchor()).error);
  forged.epoch = Epoch{2};
  forged.signature = keys_->Sign(HeadSigningInput(forged));
  EXPECT_EQ(HeadError::kKeyNotInAnchor, VerifyHead(forged, anchor()).error);
  EXPECT_EQ(Status::Code::kInvalidArgument, keys_->AdvanceTo(Epoch{2}).code());
}

TEST_F(TreeHeadTest, SignerRatchetsAtEpochBoundariesAndHoldsTimeAgainstClockSteps) {
  TreeHead a = SignOne(1);
  clock_.Advance(3600 * kS);
  TreeHead b = SignOne(2, HeadHash(a));
  EXPECT_EQ(Epoch{1}, b.epoch);
  EXPECT_EQ(Epoch{1}, keys_->epoch());
  EXPECT_NE(a.epoch_key, b.epoch_key);
  EXPECT_TRUE(VerifyHead(b, anchor()).ok());
  EXPECT_TRUE(VerifyHeadSuccessor(a, b).ok());
  // The clock steps back an hour: the head keeps the last time and stays in epoch 1.
  clock_.Set(a.timestamp_ns);
  TreeHead c = SignOne(3, HeadHash(b));
  EXPECT_EQ(Epoch{1}, c.epoch);
  EXPECT_EQ(b.timestamp_ns, c.timestamp_ns);
  EXPECT_TRUE(VerifyHead(c, anchor()).ok());

  EXPECT_EQ(HeadError::kBrokenChain, VerifyHeadSuccessor(a, c).error);
  TreeHead smaller = SignOne(0, HeadHash(c));
  EXPECT_EQ(HeadError::kTreeShrank, VerifyHeadSuccessor(c, smaller).error);
}

TEST_F(TreeHeadTest, JsonRejectsMalformedAndInconsistentInput) {
  TreeHead h = SignOne(7);
  std::string json = TreeHeadToJson(h);
  EXPECT_FALSE(TreeHeadFromJson("{").ok());
  EXPECT_FALSE(TreeHeadFromJson("[]").ok());
  std::string tampered = json;
  tampered.replace(tampered.find("\"tree_size\": 7"), 14, "\"tree_size\": 8");
  auto t = TreeHeadFromJson(tampered);
  EXPECT_EQ(Status::Code::kCorruption, t.status().code());  // head_hash no longer matches
  EXPECT_NE(std::string::npos, t.status().message().find("head_hash"));
  std::string no_sig = json;
  no_sig.replace(no_sig.find("\"signature\""), 11, "\"signatur_\"");
  EXPECT_FALSE(TreeHeadFromJson(no_sig).ok());
}

TEST(TrustAnchorTest, EncodingFingerprintAndJson) {
  TrustAnchor a;
  a.key_tree_root = Sha256("keys");
  a.first_epoch = Epoch{0};
  a.epoch_count = 87600;
  a.schedule = {.start_s = kStart, .length_s = 3600};
  std::string enc = EncodeTrustAnchor(a);
  EXPECT_EQ(kTrustAnchorEncodingSize, enc.size());
  EXPECT_EQ(a, *DecodeTrustAnchor(enc));
  EXPECT_FALSE(DecodeTrustAnchor(enc.substr(1)).ok());
  std::string fp = FormatFingerprint(Fingerprint(a));
  EXPECT_EQ(0u, fp.find("kiroku-anchor:"));
  EXPECT_EQ(14u + 64 + 15, fp.size());
  EXPECT_EQ(Fingerprint(a), *ParseFingerprint(fp));
  EXPECT_EQ(Fingerprint(a), *ParseFingerprint(Fingerprint(a).Hex()));
  EXPECT_FALSE(ParseFingerprint("kiroku-anchor:12"));
  auto back = TrustAnchorFromJson(TrustAnchorToJson(a));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(a, *back);
  std::string json = TrustAnchorToJson(a);
  json.replace(json.find("87600"), 5, "87601");
  EXPECT_EQ(Status::Code::kCorruption, TrustAnchorFromJson(json).status().code());
}

}  // namespace
}  // namespace kiroku::integrity::signing

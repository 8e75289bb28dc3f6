#include "evidence/witness_keeper.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/clock.h"
#include "common/testing/temp_dir.h"
#include "evidence/witness_protocol.h"
#include "integrity/merkle.h"
#include "integrity/signing/head_signer.h"
#include "integrity/signing/key_state.h"

namespace kiroku::evidence {
namespace {

using integrity::Hash;
using integrity::signing::TreeHead;

constexpr int64_t kSecond = 1'000'000'000;
constexpr int64_t kStart = 1'767'225'600;

// A log: keys, a signer and an in-memory list of leaves to sign heads over.
struct TestLog {
  TestLog(Fs& fs, const std::string& dir, FakeClock& clock) : clock(clock) {
    integrity::signing::KeyInitParams p;
    p.epoch_seconds = 3600;
    p.horizon_epochs = 10;
    p.start_s = kStart;
    keys = std::move(*integrity::signing::KeyState::Init(fs, dir, p, clock));
    signer = std::make_unique<integrity::signing::HeadSigner>(*keys, clock, sync);
  }
  void Grow(int n, const std::string& tag = "") {
    for (int i = 0; i < n; ++i) {
      leaves.push_back(integrity::HashLeaf(tag + "leaf " + std::to_string(leaves.size())));
    }
  }
  TreeHead Sign() {
    clock.Advance(kSecond);
    auto h = signer->Sign(leaves.size(), integrity::RootOf(leaves), previous);
    previous = integrity::signing::HeadHash(*h);
    return *h;
  }
  // A submission of `head` with a consistency proof from old_size.
  std::string Submit(const TreeHead& head, uint64_t old_size) {
    WitnessSubmission s;
    s.log =
        integrity::signing::FormatFingerprint(integrity::signing::Fingerprint(keys->root_anchor()));
    s.head = head;
    s.old_size = old_size;
    if (old_size > 0 && old_size < head.tree_size) {
      std::vector<Hash> prefix(leaves.begin(), leaves.begin() + head.tree_size);
      s.proof = integrity::ConsistencyProof(prefix, old_size);
    }
    return EncodeSubmission(s);
  }

  FakeClock& clock;
  integrity::signing::FakeClockSync sync;
  std::unique_ptr<integrity::signing::KeyState> keys;
  std::unique_ptr<integrity::signing::HeadSigner> signer;
  std::vector<Hash> leaves;
  Hash previous;
};

std::string ErrorOf(const WitnessReply& r) {
  return nlohmann::json::parse(r.body).value("error", "");
}

class WitnessKeeperTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log_ = std::make_unique<TestLog>(fs_, dir_.path() + "/keys", clock_);
    Reopen();
  }
  void Reopen() {
    keeper_.reset();
    auto k = WitnessKeeper::Open(fs_, dir_.path() + "/witness", {log_->keys->root_anchor()});
    ASSERT_TRUE(k.ok()) << k.status().ToString();
    keeper_ = std::move(*k);
  }

  testing::TempDir dir_;
  PosixFs fs_;
  FakeClock clock_{kStart * kSecond + kSecond};
  std::unique_ptr<TestLog> log_;
  std::unique_ptr<WitnessKeeper> keeper_;
};

TEST_F(WitnessKeeperTest, AcceptsExtensionsAndKeepsThemOnePerLine) {
  log_->Grow(10);
  TreeHead h1 = log_->Sign();
  WitnessReply r = keeper_->Submit(log_->Submit(h1, 0));
  ASSERT_EQ(r.status, 200) << r.body;
  log_->Grow(300);
  log_->Sign();  // a head the witness never sees
  log_->Grow(5);
  TreeHead h3 = log_->Sign();
  r = keeper_->Submit(log_->Submit(h3, 10));
  ASSERT_EQ(r.status, 200) << r.body;
  // The same head again is fine.
  EXPECT_EQ(keeper_->Submit(log_->Submit(h3, 315)).status, 200);

  std::string fp = integrity::signing::FormatFingerprint(
      integrity::signing::Fingerprint(log_->keys->root_anchor()));
  WitnessReply heads = keeper_->Heads(fp);
  ASSERT_EQ(heads.status, 200);
  EXPECT_EQ(heads.body, HeadJsonLine(h1) + "\n" + HeadJsonLine(h3) + "\n");
  WitnessReply latest = keeper_->Latest(fp);
  ASSERT_EQ(latest.status, 200);
  EXPECT_EQ(integrity::signing::TreeHeadFromJson(latest.body)->tree_size, 315u);

  // A restarted witness still holds the latest head.
  Reopen();
  EXPECT_EQ(integrity::signing::TreeHeadFromJson(keeper_->Latest(fp).body)->tree_size, 315u);
  EXPECT_EQ(ErrorOf(keeper_->Submit(log_->Submit(h1, 0))), "tree_shrank");
}

TEST_F(WitnessKeeperTest, ProofFromAnotherSizeGets409WithTheLatestSize) {
  log_->Grow(10);
  ASSERT_EQ(keeper_->Submit(log_->Submit(log_->Sign(), 0)).status, 200);
  log_->Grow(10);
  TreeHead h = log_->Sign();
  WitnessReply r = keeper_->Submit(log_->Submit(h, 0));
  EXPECT_EQ(r.status, 409) << r.body;
  auto j = nlohmann::json::parse(r.body);
  EXPECT_EQ(j["error"], "stale_size");
  EXPECT_EQ(j["latest_size"], 10);
  EXPECT_EQ(keeper_->Submit(log_->Submit(h, 10)).status, 200);
}

TEST_F(WitnessKeeperTest, RefusesRollback) {
  log_->Grow(100);
  ASSERT_EQ(keeper_->Submit(log_->Submit(log_->Sign(), 0)).status, 200);
  log_->leaves.resize(60);  // the data directory restored from an older copy
  TreeHead older = log_->Sign();
  WitnessReply r = keeper_->Submit(log_->Submit(older, 100));
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(ErrorOf(r), "tree_shrank");
}

TEST_F(WitnessKeeperTest, RefusesAForkThatGrewPastTheWitnessedSize) {
  log_->Grow(100);
  ASSERT_EQ(keeper_->Submit(log_->Submit(log_->Sign(), 0)).status, 200);
  log_->leaves.resize(60);
  log_->Grow(80, "rewritten ");  // same log, other records after 60
  TreeHead fork = log_->Sign();
  WitnessReply r = keeper_->Submit(log_->Submit(fork, 100));
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(ErrorOf(r), "inconsistent");
}

TEST_F(WitnessKeeperTest, RefusesBadSignatureAndUnknownLogs) {
  log_->Grow(10);
  TreeHead h = log_->Sign();
  h.signature.bytes[0] ^= 1;
  WitnessReply r = keeper_->Submit(log_->Submit(h, 0));
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(ErrorOf(r), "bad_signature");

  // Another server's keys: not a log this witness was configured for.
  TestLog other(fs_, dir_.path() + "/other-keys", clock_);
  other.Grow(3);
  r = keeper_->Submit(other.Submit(other.Sign(), 0));
  EXPECT_EQ(r.status, 404) << r.body;
  EXPECT_EQ(ErrorOf(r), "unknown_log");
  // Claiming to be the configured log with the other keys' head.
  WitnessSubmission s;
  s.log = integrity::signing::FormatFingerprint(
      integrity::signing::Fingerprint(log_->keys->root_anchor()));
  s.head = other.Sign();
  r = keeper_->Submit(EncodeSubmission(s));
  EXPECT_EQ(r.status, 422) << r.body;

  EXPECT_EQ(keeper_->Submit("{not json").status, 400);
}

}  // namespace
}  // namespace kiroku::evidence

#include "evidence/head_issuer.h"

#include <gtest/gtest.h>

#include <atomic>

#include "common/clock.h"
#include "common/metrics.h"
#include "common/testing/temp_dir.h"
#include "integrity/signing/head_reader.h"
#include "integrity/signing/head_verify.h"

namespace kiroku::evidence {
namespace {

using integrity::signing::Epoch;
using integrity::signing::TreeHead;

constexpr int64_t kSecond = 1'000'000'000;
constexpr int64_t kStart = 1'767'225'600;  // an epoch start, in Unix seconds
constexpr uint32_t kEpochSeconds = 60;

class FakeTree final : public TreeSource {
 public:
  uint64_t size() const override { return size_; }
  StatusOr<TreeSnapshot> SyncedSnapshot() override {
    ++syncs;
    integrity::Hash root = integrity::Sha256("root " + std::to_string(size_));
    return TreeSnapshot{size_, root};
  }
  void Grow(uint64_t n) { size_ += n; }
  int syncs = 0;

 private:
  std::atomic<uint64_t> size_{0};
};

class HeadIssuerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    integrity::signing::KeyInitParams p;
    p.epoch_seconds = kEpochSeconds;
    p.horizon_epochs = 50;
    p.start_s = kStart;
    auto k = integrity::signing::KeyState::Init(fs_, dir_.path() + "/keys", p, clock_);
    ASSERT_TRUE(k.ok()) << k.status().ToString();
    keys_ = std::move(*k);
    auto h = integrity::signing::HeadStore::Open(fs_, dir_.path() + "/heads");
    ASSERT_TRUE(h.ok());
    heads_ = std::move(*h);
    issuer_ = std::make_unique<HeadIssuer>(tree_, *keys_, *heads_, clock_, sync_, metrics_,
                                           HeadIssuerOptions{});
    issuer_->SetAuditSink([this](AuditEvent e) { audit_.push_back(std::move(e)); });
    issuer_->AddListener([this](const TreeHead& h) { issued_.push_back(h); });
  }

  bool Tick() {
    StatusOr<bool> r = issuer_->Tick();
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() && *r;
  }

  testing::TempDir dir_;
  PosixFs fs_;
  FakeClock clock_{kStart * kSecond + 5 * kSecond};
  integrity::signing::FakeClockSync sync_{{.synced = true}};
  Metrics metrics_;
  FakeTree tree_;
  std::unique_ptr<integrity::signing::KeyState> keys_;
  std::unique_ptr<integrity::signing::HeadStore> heads_;
  std::unique_ptr<HeadIssuer> issuer_;
  std::vector<AuditEvent> audit_;
  std::vector<TreeHead> issued_;
};

TEST_F(HeadIssuerTest, OneHeadPerSecondWhileTheTreeGrows) {
  EXPECT_TRUE(Tick());  // the first head of the run, even of an empty tree
  EXPECT_FALSE(Tick());
  for (int second = 0; second < 5; ++second) {
    for (int tick = 0; tick < 10; ++tick) {
      tree_.Grow(7);
      clock_.Advance(kSecond / 10);
      if (tick < 9) {
        EXPECT_FALSE(Tick()) << "second " << second << " tick " << tick;
      }
    }
    EXPECT_TRUE(Tick()) << "second " << second;
  }
  ASSERT_EQ(issued_.size(), 6u);
  for (size_t i = 1; i < issued_.size(); ++i) {
    EXPECT_EQ(issued_[i].tree_size, 70 * i);
    EXPECT_TRUE(integrity::signing::VerifyHeadSuccessor(issued_[i - 1], issued_[i]).ok());
    EXPECT_TRUE(integrity::signing::VerifyHead(issued_[i], keys_->root_anchor()).ok());
  }
  EXPECT_EQ(metrics_.GetCounter("kiroku_heads_total", "").value(), 6u);
  EXPECT_EQ(heads_->latest()->tree_size, 350u);
  EXPECT_TRUE(audit_.empty());
}

TEST_F(HeadIssuerTest, IdleTreeGetsOneHeadPerEpochWithTheKeyRatcheted) {
  EXPECT_TRUE(Tick());
  const Epoch first = issued_.back().epoch;
  // Idle for three epochs, ticking every 100 ms: exactly one head per new epoch, right after
  // its boundary.
  int issued_in_run = 0;
  for (int tick = 0; tick < 3 * 10 * static_cast<int>(kEpochSeconds); ++tick) {
    clock_.Advance(kSecond / 10);
    if (Tick()) {
      ++issued_in_run;
      const TreeHead& h = issued_.back();
      EXPECT_LT(h.timestamp_ns - keys_->schedule().StartNs(h.epoch), kSecond / 10 + 1);
    }
  }
  EXPECT_EQ(issued_in_run, 3);
  ASSERT_EQ(issued_.size(), 4u);
  for (size_t i = 1; i < issued_.size(); ++i) {
    EXPECT_EQ(issued_[i].epoch.value, first.value + i);
    EXPECT_TRUE(integrity::signing::VerifyHead(issued_[i], keys_->root_anchor()).ok());
  }
  EXPECT_EQ(keys_->epoch().value, first.value + 3);
  EXPECT_EQ(metrics_.GetGauge("kiroku_key_epoch", "").value(),
            static_cast<int64_t>(first.value + 3));
  // One self-audit record per epoch change, naming both epochs.
  ASSERT_EQ(audit_.size(), 3u);
  for (size_t i = 0; i < audit_.size(); ++i) {
    EXPECT_EQ(audit_[i].msgid, kAuditEpochChange);
    EXPECT_EQ(audit_[i].params[0],
              (std::pair<std::string, std::string>{"from_epoch", std::to_string(first.value + i)}));
    EXPECT_EQ(audit_[i].params[1], (std::pair<std::string, std::string>{
                                       "to_epoch", std::to_string(first.value + i + 1)}));
  }
  // The earlier epochs' keys are gone: the key state refuses to go back.
  EXPECT_FALSE(keys_->AdvanceTo(first).ok());
}

TEST_F(HeadIssuerTest, SyncsTheTreeBeforeEveryHeadAndPersistsTheHeads) {
  EXPECT_TRUE(Tick());
  tree_.Grow(3);
  clock_.Advance(kSecond);
  EXPECT_TRUE(Tick());
  EXPECT_EQ(tree_.syncs, 2);
  std::vector<TreeHead> on_disk;
  ASSERT_TRUE(integrity::signing::ForEachHead(fs_, dir_.path() + "/heads", [&](const TreeHead& h) {
                on_disk.push_back(h);
                return Status::Ok();
              }).ok());
  ASSERT_EQ(on_disk.size(), 2u);
  EXPECT_EQ(on_disk[1].tree_size, 3u);
}

TEST_F(HeadIssuerTest, StopIssuesAFinalHead) {
  issuer_->Start();
  tree_.Grow(5);
  issuer_->Stop(/*final_head=*/true);
  ASSERT_FALSE(issued_.empty());
  EXPECT_EQ(issued_.back().tree_size, 5u);
}

}  // namespace
}  // namespace kiroku::evidence

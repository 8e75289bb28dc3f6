#include "integrity/signing/head_store.h"

#include <gtest/gtest.h>

#include "common/testing/fault_fs.h"
#include "common/testing/temp_dir.h"
#include "integrity/signing/head_reader.h"
#include "integrity/signing/head_signer.h"
#include "integrity/signing/head_verify.h"
#include "integrity/signing/key_state.h"

namespace kiroku::integrity::signing {
namespace {

constexpr int64_t kStart = 1'767'225'600;
constexpr int64_t kS = 1'000'000'000;

class HeadStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    KeyInitParams p;
    p.horizon_epochs = 48;
    auto k = KeyState::Init(fs_, tmp_.path() + "/keys", p, clock_);
    ASSERT_TRUE(k.ok()) << k.status().ToString();
    keys_ = std::move(*k);
    signer_ = std::make_unique<HeadSigner>(*keys_, clock_, sync_);
  }
  std::string Dir() const { return tmp_.path() + "/heads"; }
  std::unique_ptr<HeadStore> OpenStore(std::vector<std::string>* notes = nullptr) {
    auto s = HeadStore::Open(fs_, Dir(), notes);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(*s) : nullptr;
  }
  TreeHead Next(HeadStore& store, uint64_t size) {
    auto h = signer_->Sign(size, Sha256(std::to_string(size)), store.latest_hash());
    EXPECT_TRUE(h.ok()) << h.status().ToString();
    return *h;
  }
  std::vector<TreeHead> ReadAll(HeadScanStats* stats = nullptr) {
    std::vector<TreeHead> out;
    EXPECT_TRUE(ForEachHead(
                    fs_, Dir(),
                    [&](const TreeHead& h) {
                      out.push_back(h);
                      return Status::Ok();
                    },
                    stats)
                    .ok());
    return out;
  }

  testing::TempDir tmp_;
  testing::FaultFs fs_;
  FakeClock clock_{(kStart + 1) * kS};
  FakeClockSync sync_;
  std::unique_ptr<KeyState> keys_;
  std::unique_ptr<HeadSigner> signer_;
};

TEST_F(HeadStoreTest, AppendsChainsAcrossEpochsAndReadsBackVerifiableHeads) {
  auto store = OpenStore();
  ASSERT_NE(nullptr, store);
  EXPECT_FALSE(store->latest());
  EXPECT_EQ(Hash{}, store->latest_hash());
  std::vector<TreeHead> written;
  for (uint64_t i = 1; i <= 30; ++i) {
    TreeHead h = Next(*store, i * 10);
    ASSERT_TRUE(store->Append(h).ok());
    written.push_back(h);
    clock_.Advance(400 * kS);  // 9 heads per hourly epoch
  }
  ASSERT_TRUE(store->Sync().ok());
  EXPECT_EQ(written.back(), *store->latest());

  HeadScanStats stats;
  std::vector<TreeHead> read = ReadAll(&stats);
  EXPECT_TRUE(stats.problems.empty());
  EXPECT_EQ(4u, stats.files);
  ASSERT_EQ(written, read);
  for (size_t i = 0; i < read.size(); ++i) {
    EXPECT_TRUE(VerifyHead(read[i], keys_->root_anchor()).ok()) << i;
    if (i > 0) {
      EXPECT_TRUE(VerifyHeadSuccessor(read[i - 1], read[i]).ok()) << i;
    }
  }

  // Reopen: the chain continues from the latest head.
  store.reset();
  store = OpenStore();
  ASSERT_NE(nullptr, store);
  EXPECT_EQ(written.back(), *store->latest());
  TreeHead more = Next(*store, 1000);
  EXPECT_TRUE(store->Append(more).ok());
}

TEST_F(HeadStoreTest, AHeadCostsAbout200BytesOnDisk) {
  auto store = OpenStore();
  ASSERT_NE(nullptr, store);
  const std::string path = Dir() + "/" + internal::HeadFileName(Epoch{0});
  ASSERT_TRUE(store->Append(Next(*store, 1)).ok());
  const uint64_t one = *fs_.FileSize(path);
  for (uint64_t i = 2; i <= 101; ++i) ASSERT_TRUE(store->Append(Next(*store, i)).ok());
  const uint64_t per_head = (*fs_.FileSize(path) - one) / 100;
  EXPECT_EQ(8u + internal::kHeadRecordSize, per_head);
  EXPECT_EQ(184u, per_head);
  // The epoch header (magic, key, 6-hash key proof for 48 epochs) is paid once per file.
  RecordProperty("bytes_per_head", static_cast<int>(per_head));
}

TEST_F(HeadStoreTest, RefusesHeadsThatDoNotChain) {
  auto store = OpenStore();
  ASSERT_NE(nullptr, store);
  TreeHead a = Next(*store, 1);
  ASSERT_TRUE(store->Append(a).ok());
  TreeHead stray = a;  // names the zero hash, not a
  EXPECT_EQ(Status::Code::kInvalidArgument, store->Append(stray).code());
  TreeHead b = Next(*store, 2);
  b.epoch_key.bytes[0] ^= 1;
  EXPECT_EQ(Status::Code::kInvalidArgument, store->Append(b).code());
}

TEST_F(HeadStoreTest, TornTailIsCutToAFileAndTheChainResumes) {
  std::vector<TreeHead> written;
  {
    auto store = OpenStore();
    ASSERT_NE(nullptr, store);
    for (uint64_t i = 1; i <= 5; ++i) {
      written.push_back(Next(*store, i));
      ASSERT_TRUE(store->Append(written.back()).ok());
    }
    ASSERT_TRUE(store->Sync().ok());
    // A crash in the middle of the sixth head's write.
    fs_.Fail(testing::FaultFs::Op::kAppend, 1, EIO, /*sticky=*/false, /*keep=*/100);
    TreeHead torn = Next(*store, 6);
    EXPECT_FALSE(store->Append(torn).ok());
  }
  // The store cut its own failed write back; simulate a torn tail left by a crash instead.
  const std::string path = Dir() + "/" + internal::HeadFileName(Epoch{0});
  const uint64_t good = *fs_.FileSize(path);
  {
    auto f = fs_.OpenAppendable(path);
    ASSERT_TRUE(f.ok());
    ASSERT_TRUE((*f)->Append(std::string(100, '\x07')).ok());
  }
  std::vector<std::string> notes;
  auto store = OpenStore(&notes);
  ASSERT_NE(nullptr, store);
  ASSERT_EQ(1u, notes.size());
  EXPECT_EQ(good, *fs_.FileSize(path));
  auto cut = fs_.ReadFile(Dir() + "/cut-" + internal::HeadFileName(Epoch{0}) + "-" +
                          std::to_string(good) + ".bin");
  ASSERT_TRUE(cut.ok());
  EXPECT_EQ(std::string(100, '\x07'), *cut);
  EXPECT_EQ(written.back(), *store->latest());
  EXPECT_TRUE(store->Append(Next(*store, 6)).ok());
  EXPECT_EQ(6u, ReadAll().size());
}

TEST_F(HeadStoreTest, ANewEpochFileWithoutItsRecordIsSetAsideAndTheEarlierHeadIsLatest) {
  TreeHead last;
  {
    auto store = OpenStore();
    ASSERT_NE(nullptr, store);
    last = Next(*store, 1);
    ASSERT_TRUE(store->Append(last).ok());
    ASSERT_TRUE(store->Sync().ok());
  }
  ASSERT_TRUE(fs_.WriteFileAtomic(Dir() + "/" + internal::HeadFileName(Epoch{1}), "KIROKU").ok());
  std::vector<std::string> notes;
  auto store = OpenStore(&notes);
  ASSERT_NE(nullptr, store);
  EXPECT_EQ(1u, notes.size());
  EXPECT_FALSE(fs_.FileSize(Dir() + "/" + internal::HeadFileName(Epoch{1})).ok());
  EXPECT_EQ(last, *store->latest());
  clock_.Advance(3600 * kS);
  EXPECT_TRUE(store->Append(Next(*store, 2)).ok());
  EXPECT_EQ(2u, ReadAll().size());
}

TEST_F(HeadStoreTest, ReaderReportsDamageInsideAClosedFile) {
  {
    auto store = OpenStore();
    ASSERT_NE(nullptr, store);
    for (uint64_t i = 1; i <= 4; ++i) ASSERT_TRUE(store->Append(Next(*store, i)).ok());
    clock_.Advance(3600 * kS);
    ASSERT_TRUE(store->Append(Next(*store, 5)).ok());
  }
  const std::string path = Dir() + "/" + internal::HeadFileName(Epoch{0});
  std::string bytes = *fs_.ReadFile(path);
  bytes[bytes.size() - 2 * 184 + 50] ^= 0x40;  // inside the third head
  ASSERT_TRUE(fs_.WriteFileAtomic(path, bytes).ok());
  HeadScanStats stats;
  std::vector<TreeHead> read = ReadAll(&stats);
  EXPECT_EQ(3u, read.size());  // two from epoch 0, one from epoch 1
  ASSERT_EQ(1u, stats.problems.size());
  EXPECT_EQ(2u * 184, stats.bytes_skipped);
  EXPECT_NE(std::string::npos, stats.problems[0].find(internal::HeadFileName(Epoch{0})));
}

}  // namespace
}  // namespace kiroku::integrity::signing

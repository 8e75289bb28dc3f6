#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/testing/temp_dir.h"
#include "verify/proof_builder.h"
#include "verify/proof_check.h"
#include "verify/verify_test_util.h"

namespace kiroku::verify {
namespace {

using testing::kSecond;

class ProofTest : public ::testing::Test {
 protected:
  ProofTest() : log_(tmp_.path() + "/data") {
    for (int i = 0; i < 7; ++i) {
      log_.Add(150);
      log_.clock().Advance(kSecond);
      log_.SignHead();
    }
    log_.Add(20);
    log_.Write();
    anchor_ = *log_.fs().ReadFile(log_.anchor_path());
  }
  ::kiroku::testing::TempDir tmp_;
  testing::TestLog log_;
  std::string anchor_;
};

TEST_F(ProofTest, InclusionProofChecksWithTheAnchorAlone) {
  for (uint64_t seq : {1u, 150u, 151u, 321u, 1050u}) {
    auto proof = MakeInclusionProof(log_.fs(), log_.dir(), seq, std::nullopt);
    ASSERT_TRUE(proof.ok()) << proof.status().ToString();
    auto doc = nlohmann::json::parse(*proof);
    EXPECT_EQ(doc["type"], "kiroku-inclusion-proof");
    EXPECT_EQ(doc["tree_size"], (seq + 149) / 150 * 150) << "the smallest head covering it";
    EXPECT_EQ(doc["record"]["seq"], seq);
    auto v = CheckProof(*proof, anchor_);
    ASSERT_TRUE(v.ok()) << v.status().ToString();
    EXPECT_TRUE(v->valid) << v->reason;
  }
}

TEST_F(ProofTest, InclusionAgainstAChosenHeadSize) {
  auto proof = MakeInclusionProof(log_.fs(), log_.dir(), 10, 900);
  ASSERT_TRUE(proof.ok()) << proof.status().ToString();
  EXPECT_TRUE(CheckProof(*proof, anchor_)->valid);
  auto bad = MakeInclusionProof(log_.fs(), log_.dir(), 10, 901);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("150, 300"), std::string::npos) << bad.status().message();
}

TEST_F(ProofTest, TamperedProofsAreInvalid) {
  auto proof = MakeInclusionProof(log_.fs(), log_.dir(), 321, std::nullopt);
  ASSERT_TRUE(proof.ok());
  auto doc = nlohmann::json::parse(*proof);
  {
    auto d = doc;
    d["record"]["raw_base64"] = "Zm9yZ2Vk";
    EXPECT_FALSE(CheckProof(d.dump(), anchor_)->valid);
  }
  {
    auto d = doc;
    std::string p = d["inclusion_path"][0];
    p[0] = p[0] == '0' ? '1' : '0';
    d["inclusion_path"][0] = p;
    auto v = CheckProof(d.dump(), anchor_);
    EXPECT_FALSE(v->valid);
    EXPECT_NE(v->reason.find("inclusion path"), std::string::npos) << v->reason;
  }
  {
    auto d = doc;
    d["head"]["root_hash"] = std::string(64, 'a');
    d["head"].erase("head_hash");
    auto v = CheckProof(d.dump(), anchor_);
    EXPECT_FALSE(v->valid);
    EXPECT_NE(v->reason.find("bad_signature"), std::string::npos) << v->reason;
  }
  // Another operator's anchor.
  ::kiroku::testing::TempDir other;
  testing::TestLog fresh(other.path() + "/data");
  auto v = CheckProof(*proof, *fresh.fs().ReadFile(fresh.anchor_path()));
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->valid);
  EXPECT_FALSE(CheckProof("not json", anchor_).ok());
}

TEST_F(ProofTest, ConsistencyProof) {
  auto proof = MakeConsistencyProof(log_.fs(), log_.dir(), 300, 1050);
  ASSERT_TRUE(proof.ok()) << proof.status().ToString();
  auto v = CheckProof(*proof, anchor_);
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->valid) << v->reason;
  auto doc = nlohmann::json::parse(*proof);
  doc["consistency_path"][0] = std::string(64, '0');
  EXPECT_FALSE(CheckProof(doc.dump(), anchor_)->valid);
  auto missing = MakeConsistencyProof(log_.fs(), log_.dir(), 299, 1050);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("head sizes: 150, 300"), std::string::npos);
}

}  // namespace
}  // namespace kiroku::verify

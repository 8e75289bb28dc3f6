#include "verify/verifier.h"

#include <gtest/gtest.h>

#include <sstream>

#include "common/testing/temp_dir.h"
#include "integrity/signing/tree_head.h"
#include "verify/report_format.h"
#include "verify/verify_test_util.h"

namespace kiroku::verify {
namespace {

using testing::kSecond;
using testing::TestLog;

class VerifierTest : public ::testing::Test {
 protected:
  VerifierTest() : log_(tmp_.path() + "/data") {}

  Report Run(std::optional<std::string> witness = std::nullopt) {
    VerifyOptions opt;
    opt.data_dir = log_.dir();
    opt.anchor_path = log_.anchor_path();
    opt.witness_jsonl = witness;
    opt.witness_name = "witness.jsonl";
    Report r = Verify(log_.fs(), opt);
    std::ostringstream text;
    WriteHumanReport(r, text);
    report_text_ = text.str();
    return r;
  }
  // The tampering findings, as "kind seqs".
  std::vector<std::string> Tampered(const Report& r) {
    std::vector<std::string> out;
    for (const Finding& f : r.findings()) {
      if (SeverityOf(f.kind) != Severity::kTampered) continue;
      out.push_back(std::string(KindName(f.kind)) + (f.seqs ? " " + f.seqs->ToString() : ""));
    }
    return out;
  }
  bool Has(const Report& r, FindingKind kind) {
    for (const Finding& f : r.findings()) {
      if (f.kind == kind) return true;
    }
    return false;
  }
  // A clean log: 1000 records in two segments, a head every 100 records, 50 unsigned after.
  void BuildClean() {
    for (int i = 0; i < 10; ++i) {
      if (i == 5) log_.NewSegment();
      log_.Add(100);
      log_.clock().Advance(kSecond);
      log_.SignHead();
    }
    log_.Add(50);
    log_.Write();
  }

  ::kiroku::testing::TempDir tmp_;
  TestLog log_;
  std::string report_text_;
};

TEST_F(VerifierTest, CleanLogIsIntact) {
  BuildClean();
  Report r = Run();
  EXPECT_EQ(r.ExitCode(), 0) << report_text_;
  EXPECT_TRUE(Tampered(r).empty()) << report_text_;
  EXPECT_EQ(r.stats().records, 1050u);
  EXPECT_EQ(r.stats().signed_size, 1000u);
  EXPECT_EQ(r.stats().heads_verified, 10u);
  EXPECT_TRUE(Has(r, FindingKind::kUnsigned));
  EXPECT_NE(report_text_.find("VERDICT: INTACT"), std::string::npos);
}

TEST_F(VerifierTest, NoAnchorCannotCheck) {
  BuildClean();
  VerifyOptions opt;
  opt.data_dir = log_.dir();
  opt.anchor_path = tmp_.path() + "/nope.json";
  EXPECT_EQ(Verify(log_.fs(), opt).ExitCode(), 2);
}

TEST_F(VerifierTest, AnchorFromDataDirWarns) {
  BuildClean();
  VerifyOptions opt;
  opt.data_dir = log_.dir();
  Report r = Verify(log_.fs(), opt);
  EXPECT_EQ(r.ExitCode(), 0);
  EXPECT_TRUE(Has(r, FindingKind::kAnchorFromDataDir));
}

TEST_F(VerifierTest, FlippedByteWithBadCrcIsModifiedAtItsSeq) {
  BuildClean();
  log_.FlipByte(321, /*fix_crc=*/false);
  log_.WriteJournal();
  Report r = Run();
  EXPECT_EQ(r.ExitCode(), 1);
  EXPECT_EQ(Tampered(r), std::vector<std::string>{"modified 321"}) << report_text_;
}

TEST_F(VerifierTest, FlippedByteWithFixedCrcIsModifiedInItsGroup) {
  BuildClean();
  log_.FlipByte(321, /*fix_crc=*/true);
  log_.WriteJournal();
  Report r = Run();
  EXPECT_EQ(Tampered(r), std::vector<std::string>{"modified 301..400"}) << report_text_;
}

TEST_F(VerifierTest, ReceiveTimeChangeIsModified) {
  BuildClean();
  log_.SetReceiveTime(700, testing::kT0 + 5 * kSecond);
  log_.WriteJournal();
  Report r = Run();
  EXPECT_EQ(Tampered(r), std::vector<std::string>{"modified 601..700"}) << report_text_;
}

TEST_F(VerifierTest, DeletedRecordIsMissing) {
  BuildClean();
  log_.DeleteRecord(42);
  log_.WriteJournal();
  EXPECT_EQ(Tampered(Run()), std::vector<std::string>{"missing 42"}) << report_text_;
}

TEST_F(VerifierTest, DuplicatedRecordIsInserted) {
  BuildClean();
  log_.DuplicateRecord(42);
  log_.WriteJournal();
  EXPECT_EQ(Tampered(Run()), std::vector<std::string>{"inserted 42"}) << report_text_;
}

TEST_F(VerifierTest, SwappedRecordsAreReordered) {
  BuildClean();
  log_.SwapRecords(42, 43);
  log_.WriteJournal();
  EXPECT_EQ(Tampered(Run()), std::vector<std::string>{"reordered 42"}) << report_text_;
}

TEST_F(VerifierTest, TruncatedJournal) {
  BuildClean();
  log_.TruncateJournal(900);
  log_.WriteJournal();
  EXPECT_EQ(Tampered(Run()), std::vector<std::string>{"truncated 901..1000"}) << report_text_;
}

TEST_F(VerifierTest, UndecodableFrameIsModified) {
  BuildClean();
  uint64_t offset = store::journal::kFileHeaderSize;
  for (uint64_t s = 1; s < 5; ++s)
    offset += store::journal::kFrameHeaderSize + log_.Payload(s).size();
  log_.PokeFile(log_.dir() + "/journal/00000000000000000001.journal", offset + 3, 0x7f);
  EXPECT_EQ(Tampered(Run()), std::vector<std::string>{"modified 5"}) << report_text_;
}

TEST_F(VerifierTest, BytesBetweenFramesAreInserted) {
  BuildClean();
  uint64_t offset = store::journal::kFileHeaderSize;
  for (uint64_t s = 1; s < 5; ++s)
    offset += store::journal::kFrameHeaderSize + log_.Payload(s).size();
  const std::string path = log_.dir() + "/journal/00000000000000000001.journal";
  std::string bytes = *log_.fs().ReadFile(path);
  bytes.insert(offset, "forged bytes that are no frame");
  ASSERT_TRUE(log_.fs().WriteFileAtomic(path, bytes).ok());
  std::vector<std::string> t = Tampered(Run());
  EXPECT_EQ(t, std::vector<std::string>{"inserted"}) << report_text_;
}

TEST_F(VerifierTest, ForgedHeadSignature) {
  BuildClean();
  std::vector<integrity::signing::TreeHead> heads = log_.heads();
  heads[3].signature.bytes[5] ^= 1;
  // Written as the file would hold it: the head store itself refuses to chain onto it.
  heads.resize(4);
  log_.WriteHeads(heads);
  std::vector<std::string> t = Tampered(Run());
  EXPECT_EQ(t, std::vector<std::string>{"forged head 400"}) << report_text_;
}

TEST_F(VerifierTest, DeletedHeadsBreakTheChain) {
  BuildClean();
  std::vector<integrity::signing::TreeHead> heads = log_.heads();
  heads.erase(heads.begin() + 4, heads.begin() + 6);
  // The head store refuses a broken chain: write the two halves as the files would hold them.
  log_.WriteHeads({heads.begin(), heads.begin() + 4});
  Report r = Run();
  EXPECT_EQ(r.ExitCode(), 0) << "deleting only the newest heads leaves an older, intact log\n"
                             << report_text_;
}

TEST_F(VerifierTest, ReplacedKeysAreWrongKey) {
  BuildClean();
  // Another `kiroku init`: the operator's anchor no longer matches the heads' keys.
  ::kiroku::testing::TempDir other;
  TestLog fresh(other.path() + "/data");
  VerifyOptions opt;
  opt.data_dir = log_.dir();
  opt.anchor_path = fresh.anchor_path();
  Report r = Verify(log_.fs(), opt);
  std::ostringstream text;
  WriteHumanReport(r, text);
  ASSERT_EQ(r.ExitCode(), 1);
  bool wrong_key = false;
  for (const Finding& f : r.findings()) wrong_key |= f.kind == FindingKind::kWrongKey;
  EXPECT_TRUE(wrong_key) << text.str();
}

TEST_F(VerifierTest, ResignedWithLaterKey) {
  BuildClean();
  log_.ResignFrom(501, /*epochs_ahead=*/3);
  log_.Write();
  Report r = Run();
  std::vector<std::string> t = Tampered(r);
  ASSERT_FALSE(t.empty());
  EXPECT_EQ(t[0], "re-signed with a later key 501..1050") << report_text_;
}

TEST_F(VerifierTest, CrashTailSignedAfterRestartIsAllowed) {
  log_.Add(100);
  log_.SignHead();
  log_.Add(10);  // received, durable, then the server crashed before signing
  log_.clock().Advance(5 * testing::kEpochSeconds * kSecond);
  log_.AddRaw("<109>1 2026-01-01T05:00:00Z kiroku kiroku 1 start [kiroku@32473 x=\"1\"] started",
              Transport::kInternal);
  log_.SignHead();
  log_.Write();
  Report r = Run();
  EXPECT_EQ(r.ExitCode(), 0) << report_text_;
  EXPECT_TRUE(Has(r, FindingKind::kCrashTail)) << report_text_;
}

TEST_F(VerifierTest, LateSigningWithoutRestartIsResigned) {
  log_.Add(100);
  log_.SignHead();
  log_.Add(10);
  log_.clock().Advance(5 * testing::kEpochSeconds * kSecond);
  log_.SignHead();
  log_.Write();
  Report r = Run();
  EXPECT_EQ(r.ExitCode(), 1);
  std::vector<std::string> t = Tampered(r);
  ASSERT_FALSE(t.empty());
  EXPECT_EQ(t[0], "re-signed with a later key 101..110") << report_text_;
}

TEST_F(VerifierTest, DamagedTilesAloneAreAWarning) {
  BuildClean();
  log_.PokeFile(log_.dir() + "/merkle/level-08.hashes", 32 * 2 + 5, 'x');
  Report r = Run();
  EXPECT_EQ(r.ExitCode(), 0) << report_text_;
  EXPECT_TRUE(Has(r, FindingKind::kTilesDamaged)) << report_text_;
}

TEST_F(VerifierTest, WitnessSeesRollback) {
  BuildClean();
  std::string witness;
  for (const auto& h : log_.heads()) witness += integrity::signing::TreeHeadToJson(h) + "\n";
  // Roll back: the data directory as it was at the seventh head.
  std::vector<integrity::signing::TreeHead> old(log_.heads().begin(), log_.heads().begin() + 7);
  log_.WriteHeads(old);
  log_.TruncateJournal(700);
  log_.WriteJournal();
  Report r = Run(witness);
  EXPECT_EQ(Tampered(r), std::vector<std::string>{"rolled back 701..1000"}) << report_text_;
  Report without = Run();
  EXPECT_EQ(without.ExitCode(), 0) << "without a witness, a rollback is not detectable";
}

TEST_F(VerifierTest, WitnessSeesFork) {
  BuildClean();
  integrity::signing::TreeHead other = log_.heads()[2];
  other.root_hash.bytes[0] ^= 1;
  std::string witness = integrity::signing::TreeHeadToJson(other) + "\n";
  Report r = Run(witness);
  // The altered head no longer verifies: a witness line that is not a valid head is forged.
  EXPECT_EQ(Tampered(r)[0], "forged head") << report_text_;
}

TEST_F(VerifierTest, JsonReportNamesKinds) {
  BuildClean();
  log_.DeleteRecord(5);
  log_.WriteJournal();
  Report r = Run();
  std::ostringstream json;
  WriteJsonReport(r, json);
  EXPECT_NE(json.str().find("\"kind\": \"missing\""), std::string::npos) << json.str();
  EXPECT_NE(json.str().find("\"first_seq\": 5"), std::string::npos);
  EXPECT_NE(json.str().find("\"result\": \"tampered\""), std::string::npos);
}

}  // namespace
}  // namespace kiroku::verify

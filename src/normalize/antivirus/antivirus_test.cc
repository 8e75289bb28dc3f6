// Known answers for clamd, clamscan and freshclam (testdata/antivirus.jsonl) and edge cases.
#include "normalize/antivirus/antivirus.h"

#include <gtest/gtest.h>

#include "normalize/testing/kat.h"

namespace kiroku::normalize {
namespace {

using testing::MakeKatRecord;
using testing::RunKatFile;

TEST(AntivirusKat, All) {
  int cases = RunKatFile("antivirus.jsonl", &NormalizeAntivirus);
  EXPECT_GE(cases, 35);
}

Event Normalize(const std::string& line, bool* recognised = nullptr) {
  auto rec = MakeKatRecord(line, "192.0.2.10", 1);
  Event e;
  bool ok = NormalizeAntivirus(Input::From(rec->view), Config(), &e);
  if (recognised) *recognised = ok;
  return e;
}

TEST(Clamav, PathWithColonSpaceKeepsWholePath) {
  Event e = Normalize(
      "<30>Nov 26 14:37:42 av1 clamd[812]: /srv/share/a: b/x.doc: Doc.Dropper.Agent-1 FOUND");
  EXPECT_EQ(e.Get(Field::kFilePath), "/srv/share/a: b/x.doc");
  EXPECT_EQ(e.Get(Field::kFileName), "x.doc");
  EXPECT_EQ(e.Get(Field::kThreatSoftwareName), "Doc.Dropper.Agent-1");
}

TEST(Clamav, FoundAloneIsNotADetection) {
  bool ok = true;
  Event e = Normalize(" FOUND", &ok);
  EXPECT_FALSE(ok);
  e = Normalize(": FOUND", &ok);
  EXPECT_FALSE(ok);
  e = Normalize("/x: Two Words FOUND", &ok);
  EXPECT_FALSE(ok);
  EXPECT_TRUE(e.empty());
}

TEST(Clamav, ShortStampIsNotSkipped) {
  bool ok = true;
  Normalize("Thu Nov 26 14:37:42 2026 ->", &ok);
  EXPECT_FALSE(ok);
}

}  // namespace
}  // namespace kiroku::normalize

#include "normalize/windows/windows.h"

#include <gtest/gtest.h>

#include "normalize/testing/kat.h"
#include "normalize/windows/internal/snare_text.h"
#include "normalize/windows/internal/win_event.h"

namespace kiroku::normalize {
namespace {

using internal::ParseSnareDescription;
using internal::W32TimeSource;
using internal::WinEvent;

TEST(WindowsKat, All) { EXPECT_EQ(testing::RunKatFile("windows.jsonl", &NormalizeWindows), 39); }

TEST(SnareDescription, SectionsDecideWhoIsWho) {
  WinEvent w;
  ParseSnareDescription(
      "A user account was created.    Subject:   Security ID:  S-1-5-18   Account Name:  admin"
      "   Account Domain:  EXAMPLE    New Account:   Security ID:  S-1-5-21-1   Account Name:  bob",
      &w);
  EXPECT_EQ(w.Get("SubjectUserName"), "admin");
  EXPECT_EQ(w.Get("SubjectDomainName"), "EXAMPLE");
  EXPECT_EQ(w.Get("TargetUserName"), "bob");
}

TEST(SnareDescription, TabsAndTrailingBlanks) {
  WinEvent w;
  ParseSnareDescription("Subject:\t\tAccount Name:\t\tadmin\t\t\t", &w);
  EXPECT_EQ(w.Get("SubjectUserName"), "admin");
}

TEST(SnareDescription, SingleBlankPairsAfterSection) {
  WinEvent w;
  ParseSnareDescription("Subject:   Account Name: admin  Account Domain: EXAMPLE", &w);
  EXPECT_EQ(w.Get("SubjectUserName"), "admin");
  EXPECT_EQ(w.Get("SubjectDomainName"), "EXAMPLE");
}

TEST(SnareDescription, CollapsedBlanksGiveNothing) {
  WinEvent w;
  ParseSnareDescription("Subject: Security ID: S-1-5-18 Account Name: admin", &w);
  EXPECT_EQ(w.count, 0u);
}

TEST(SnareDescription, LabelWithoutValueAtEnd) {
  WinEvent w;
  ParseSnareDescription("Subject:   Account Name:", &w);
  EXPECT_EQ(w.Get("SubjectUserName"), "");
}

TEST(WinEvent, DashAndBlankValuesAreAbsent) {
  WinEvent w;
  w.Set("MemberName", " - ");
  w.Set("MemberName", "CN=x");
  EXPECT_EQ(w.Get("MemberName"), "CN=x");
  EXPECT_EQ(w.Get("Nope"), "");
}

TEST(WinEvent, KeepsAtMost64Values) {
  WinEvent w;
  for (int i = 0; i < 100; ++i) w.Set("k", "v");
  EXPECT_EQ(w.count, 64u);
}

TEST(W32Time, SourceSuffixes) {
  EXPECT_EQ(W32TimeSource("time.windows.com,0x9 (ntp.m|0x9|0.0.0.0:123->1.2.3.4:123)."),
            "time.windows.com");
  EXPECT_EQ(W32TimeSource("DC01.example.com (ntp.d|0.0.0.0:123->10.0.0.1:123)."),
            "DC01.example.com");
  EXPECT_EQ(W32TimeSource("ntp1.example.com."), "ntp1.example.com");
  EXPECT_EQ(W32TimeSource(""), "");
}

}  // namespace
}  // namespace kiroku::normalize

#include "segment/segment_files.h"

#include <gtest/gtest.h>

#include "common/testing/temp_dir.h"

namespace kiroku::segment {
namespace {

TEST(SegmentFilesTest, Names) {
  EXPECT_EQ(SealedFileName(SeqNo{1}, SeqNo{163840}),
            "00000000000000000001-00000000000000163840.seg");
  EXPECT_EQ(SealingTempName(SeqNo{1}), "sealing-00000000000000000001.tmp");
  auto r = ParseSealedFileName("00000000000000000001-00000000000000163840.seg");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->first, SeqNo{1});
  EXPECT_EQ(r->last, SeqNo{163840});
  auto max = ParseSealedFileName("18446744073709551615-18446744073709551615.seg");
  ASSERT_TRUE(max.has_value());
  EXPECT_EQ(max->last.value, UINT64_MAX);
}

TEST(SegmentFilesTest, RejectsOtherNames) {
  for (const char* name :
       {"sealing-00000000000000000001.tmp", "00000000000000000001-00000000000000163840.seg.tmp",
        "00000000000000000001-00000000000000163840.sex",
        "0000000000000000001-00000000000000163840.seg",
        "00000000000000000001_00000000000000163840.seg",
        "0000000000000000000a-00000000000000163840.seg",
        "00000000000000000000-00000000000000000005.seg",  // seq 0
        "00000000000000000009-00000000000000000005.seg",  // last < first
        "18446744073709551616-18446744073709551616.seg",  // overflow
        "", ".seg", "00000000000000000001.journal"}) {
    EXPECT_FALSE(ParseSealedFileName(name).has_value()) << name;
  }
  EXPECT_TRUE(IsSealingTempName("sealing-00000000000000000001.tmp"));
  EXPECT_FALSE(IsSealingTempName("00000000000000000001-00000000000000000002.seg"));
}

TEST(SegmentFilesTest, ListSealedOrdersAndIgnores) {
  kiroku::testing::TempDir dir;
  Fs& fs = PosixFs::Default();
  for (const std::string& name :
       {SealedFileName(SeqNo{2049}, SeqNo{4096}), SealedFileName(SeqNo{1}, SeqNo{2048}),
        SealingTempName(SeqNo{4097}), std::string("notes.txt"),
        SealedFileName(SeqNo{1}, SeqNo{2048}) + ".tmp"}) {
    ASSERT_TRUE(fs.WriteFileAtomic(JoinPath(dir.path(), name), "x").ok());
  }
  auto list = ListSealed(fs, dir.path());
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].first, SeqNo{1});
  EXPECT_EQ((*list)[0].last, SeqNo{2048});
  EXPECT_EQ((*list)[0].path, JoinPath(dir.path(), SealedFileName(SeqNo{1}, SeqNo{2048})));
  EXPECT_EQ((*list)[1].first, SeqNo{2049});
}

TEST(SegmentFilesTest, MissingDirectoryIsEmpty) {
  kiroku::testing::TempDir dir;
  auto list = ListSealed(PosixFs::Default(), dir.path() + "/segments");
  ASSERT_TRUE(list.ok());
  EXPECT_TRUE(list->empty());
}

}  // namespace
}  // namespace kiroku::segment

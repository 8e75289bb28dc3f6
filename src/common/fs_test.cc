#include "common/fs.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>

#include "common/testing/fault_fs.h"
#include "common/testing/temp_dir.h"

namespace kiroku {
namespace {

using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;
using FaultFs = testing::FaultFs;

class FsTest : public ::testing::Test {
 protected:
  std::string Path(const std::string& name) { return JoinPath(dir_.path(), name); }
  testing::TempDir dir_;
  Fs& fs_ = PosixFs::Default();
};

TEST_F(FsTest, AppendSyncReadBack) {
  auto f = fs_.OpenAppendable(Path("a"));
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(0u, (*f)->Size());
  ASSERT_TRUE((*f)->Append("hello ").ok());
  std::string_view parts[] = {"big ", "", "world"};
  ASSERT_TRUE((*f)->AppendV(parts).ok());
  ASSERT_TRUE((*f)->Sync().ok());
  EXPECT_EQ(15u, (*f)->Size());
  ASSERT_TRUE((*f)->Close().ok());
  EXPECT_EQ("hello big world", *fs_.ReadFile(Path("a")));
  EXPECT_EQ(15u, *fs_.FileSize(Path("a")));
}

TEST_F(FsTest, AppendVWithManyPartsCrossesIovMax) {
  auto f = fs_.OpenAppendable(Path("many"));
  ASSERT_TRUE(f.ok());
  std::vector<std::string> owned;
  std::string expect;
  for (int i = 0; i < 3000; ++i) {
    owned.push_back(std::to_string(i) + ",");
    expect += owned.back();
  }
  std::vector<std::string_view> parts(owned.begin(), owned.end());
  ASSERT_TRUE((*f)->AppendV(parts).ok());
  EXPECT_EQ(expect.size(), (*f)->Size());
  EXPECT_EQ(expect, *fs_.ReadFile(Path("many")));
}

TEST_F(FsTest, ReopenAppendsAtEndAndTruncateMovesTheEnd) {
  {
    auto f = fs_.OpenAppendable(Path("t"));
    ASSERT_TRUE((*f)->Append("0123456789").ok());
  }
  auto f = fs_.OpenAppendable(Path("t"));
  EXPECT_EQ(10u, (*f)->Size());
  ASSERT_TRUE((*f)->Truncate(4).ok());
  ASSERT_TRUE((*f)->Append("xy").ok());  // right after the cut, no hole
  EXPECT_EQ("0123xy", *fs_.ReadFile(Path("t")));
}

TEST_F(FsTest, RandomAccessReadsAtOffsetsAndShortAtEnd) {
  ASSERT_TRUE(fs_.WriteFileAtomic(Path("r"), "abcdefgh").ok());
  auto r = fs_.OpenReadable(Path("r"));
  ASSERT_TRUE(r.ok());
  char buf[8];
  EXPECT_EQ(3u, *(*r)->Read(2, 3, buf));
  EXPECT_EQ("cde", std::string_view(buf, 3));
  EXPECT_EQ(2u, *(*r)->Read(6, 8, buf));
  EXPECT_EQ(0u, *(*r)->Read(100, 8, buf));
  EXPECT_EQ(8u, *(*r)->Size());
}

TEST_F(FsTest, ListRenameRemove) {
  ASSERT_TRUE(fs_.CreateDirs(Path("d/e")).ok());
  ASSERT_TRUE(fs_.CreateDirs(Path("d/e")).ok());  // exists: fine
  ASSERT_TRUE(fs_.WriteFileAtomic(Path("d/x"), "1").ok());
  ASSERT_TRUE(fs_.Rename(Path("d/x"), Path("d/y")).ok());
  EXPECT_THAT(*fs_.ListDir(Path("d")), UnorderedElementsAre("e", "y"));
  ASSERT_TRUE(fs_.Remove(Path("d/y")).ok());
  EXPECT_THAT(*fs_.ListDir(Path("d")), UnorderedElementsAre("e"));
  ASSERT_TRUE(fs_.SyncDir(Path("d")).ok());
}

TEST_F(FsTest, CreateDirsMakesPrivateDirsAndLeavesExistingOnesAlone) {
  ASSERT_TRUE(fs_.CreateDirs(Path("p/q/")).ok());
  struct stat st {};
  ASSERT_EQ(0, ::stat(Path("p/q").c_str(), &st));
  EXPECT_EQ(0u, st.st_mode & 0027);  // no group write, nothing for others
  ASSERT_EQ(0, ::chmod(Path("p").c_str(), 0755));
  ASSERT_TRUE(fs_.CreateDirs(Path("p")).ok());
  ASSERT_EQ(0, ::stat(Path("p").c_str(), &st));
  EXPECT_EQ(0755u, st.st_mode & 0777);
  ASSERT_TRUE(fs_.WriteFileAtomic(Path("file"), "x").ok());
  EXPECT_FALSE(fs_.CreateDirs(Path("file")).ok());
  EXPECT_FALSE(fs_.CreateDirs(Path("file/sub")).ok());
}

TEST_F(FsTest, WriteFileAtomicReplacesAndLeavesNoTmp) {
  ASSERT_TRUE(fs_.WriteFileAtomic(Path("f"), "old").ok());
  ASSERT_TRUE(fs_.WriteFileAtomic(Path("f"), "new contents").ok());
  EXPECT_EQ("new contents", *fs_.ReadFile(Path("f")));
  EXPECT_THAT(*fs_.ListDir(dir_.path()), UnorderedElementsAre("f"));
}

TEST_F(FsTest, ErrorsCarryPathAndErrnoText) {
  auto size = fs_.FileSize(Path("missing"));
  ASSERT_FALSE(size.ok());
  EXPECT_EQ(Status::Code::kNotFound, size.status().code());
  EXPECT_THAT(size.status().message(), HasSubstr("missing"));
  EXPECT_THAT(size.status().message(), HasSubstr("No such file or directory"));
  auto list = fs_.ListDir(Path("nodir"));
  EXPECT_EQ(Status::Code::kNotFound, list.status().code());
  auto w = fs_.OpenAppendable(Path("nodir/f"));
  EXPECT_FALSE(w.ok());
  Status s = fs_.WriteFileAtomic("/proc/kiroku-cannot-write", "x");
  EXPECT_FALSE(s.ok());
}

TEST_F(FsTest, DirNameAndJoinPath) {
  EXPECT_EQ("a/b", DirName("a/b/c"));
  EXPECT_EQ(".", DirName("c"));
  EXPECT_EQ("/", DirName("/c"));
  EXPECT_EQ("a/b", JoinPath("a", "b"));
  EXPECT_EQ("a/b", JoinPath("a/", "b"));
}

TEST_F(FsTest, FaultFsFailsNthAppendOnceAndShortWritesKeepAPrefix) {
  FaultFs fault;
  auto f = fault.OpenAppendable(Path("j"));
  ASSERT_TRUE(f.ok());
  fault.Fail(FaultFs::Op::kAppend, 2, ENOSPC, /*sticky=*/false, /*keep=*/3);
  ASSERT_TRUE((*f)->Append("aaaa").ok());
  Status s = (*f)->Append("bbbbbb");
  EXPECT_EQ(Status::Code::kIoError, s.code());
  EXPECT_THAT(s.message(), HasSubstr("No space left on device"));
  EXPECT_EQ(7u, (*f)->Size());          // "aaaa" + the 3 bytes that made it
  ASSERT_TRUE((*f)->Append("c").ok());  // not sticky
  EXPECT_EQ("aaaabbbc", *fault.ReadFile(Path("j")));
  EXPECT_EQ(1, fault.failures());
}

TEST_F(FsTest, FaultFsStickyUntilHealed) {
  FaultFs fault;
  auto f = fault.OpenAppendable(Path("j"));
  fault.Fail(FaultFs::Op::kSync, 1, EIO);
  ASSERT_TRUE((*f)->Append("x").ok());
  EXPECT_THAT((*f)->Sync().message(), HasSubstr("Input/output error"));
  EXPECT_FALSE((*f)->Sync().ok());
  fault.Heal();
  EXPECT_TRUE((*f)->Sync().ok());
  EXPECT_EQ(2, fault.failures());
  EXPECT_EQ(3, fault.count(FaultFs::Op::kSync));
}

TEST_F(FsTest, FaultFsTracksSyncedSizeAndDropsUnsyncedData) {
  FaultFs fault;
  const std::string p = Path("j");
  auto f = fault.OpenAppendable(p);
  ASSERT_TRUE((*f)->Append("durable").ok());
  ASSERT_TRUE((*f)->Sync().ok());
  ASSERT_TRUE((*f)->Append(" lost").ok());
  EXPECT_EQ(7u, fault.SyncedSize(p));
  fault.DropUnsyncedData();
  EXPECT_EQ("durable", *fault.ReadFile(p));
  auto events = fault.events();
  ASSERT_EQ(3u, events.size());
  EXPECT_EQ("append " + p + " 7", events[0]);
  EXPECT_EQ("sync " + p, events[1]);
}

TEST_F(FsTest, FaultFsWriteFileAtomicFailsOnInjectedRename) {
  FaultFs fault;
  fault.Fail(FaultFs::Op::kRename, 1, EIO);
  EXPECT_FALSE(fault.WriteFileAtomic(Path("f"), "x").ok());
  EXPECT_EQ(Status::Code::kNotFound, fault.FileSize(Path("f")).status().code());
}

}  // namespace
}  // namespace kiroku

// End-to-end through the journal: records written as the store writes them, read back by
// Search() with the real ScanJournal.
#include "query/search.h"

#include <gtest/gtest.h>

#include <sstream>

#include "common/testing/temp_dir.h"
#include "query/internal/test_records.h"
#include "store/journal_files.h"
#include "store/record_codec.h"
#include "store/segment_header.h"

namespace kiroku::query {
namespace {

class SearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    journal_ = JoinPath(dir_.path(), "journal");
    ASSERT_TRUE(fs_.CreateDirs(journal_).ok());
    std::string segment = store::EncodeSegmentHeader({SeqNo{1}, internal::kTestNow});
    for (const internal::TestRecord& r :
         {internal::SshdRecord(), internal::GarbageRecord(), internal::BackupRecord()}) {
      store::AppendFrame(r.view(), &segment);
    }
    store::SealFrames(segment.data() + segment.size() - FramesSize(segment), FramesSize(segment),
                      SeqNo{1});
    ASSERT_TRUE(fs_.WriteFileAtomic(store::SegmentPath(journal_, SeqNo{1}), segment).ok());
  }

  static size_t FramesSize(const std::string& segment) {
    return segment.size() - store::EncodeSegmentHeader({SeqNo{1}, 0}).size();
  }

  std::string Run(SearchRequest req, Status* status = nullptr) {
    req.data_dir = dir_.path();
    std::ostringstream out;
    err_.str("");
    Status s = Search(req, fs_, clock_, out, err_);
    if (status) *status = s;
    EXPECT_TRUE(status || s.ok()) << s.ToString();
    return out.str();
  }

  testing::TempDir dir_;
  std::string journal_;
  PosixFs fs_;
  FakeClock clock_{internal::kTestNow};
  std::ostringstream err_;
};

TEST_F(SearchTest, FiltersInSequenceOrder) {
  SearchRequest req;
  req.count = true;
  EXPECT_EQ(Run(req), "3\n");
  req.query = "NOT sshd";
  EXPECT_EQ(Run(req), "2\n");
  req.count = false;
  req.format = OutputFormat::kCsv;
  std::string csv = Run(req);
  EXPECT_NE(csv.find(",2,tcp,"), std::string::npos);
  EXPECT_LT(csv.find(",2,tcp,"), csv.find(",3,import,"));  // seq order
  EXPECT_EQ(err_.str(), "");
}

TEST_F(SearchTest, TimeWindow) {
  SearchRequest req;
  req.count = true;
  req.until = "2026-11-26T14:30:00Z";  // exclusive: only sshd's device time is before it
  EXPECT_EQ(Run(req), "1\n");
  req.until.clear();
  req.since = "2026-11-26T14:30:00Z";
  EXPECT_EQ(Run(req), "2\n");
}

TEST_F(SearchTest, JsonRoundTripsThroughTheJournal) {
  SearchRequest req;
  req.format = OutputFormat::kJson;
  req.query = "kiroku.seq:1";
  EXPECT_EQ(
      Run(req),
      R"({"@timestamp":"2026-11-26T14:29:59.500000000Z","event":{"created":"2026-11-26T14:30:00.000000000Z"},)"
      R"("host":{"name":"web01.example.com"},"log":{"syslog":{"facility":{"code":4},"severity":{"code":6},)"
      R"("msgid":"ID47","structured_data":{"origin@32473":{"ip":"192.0.2.10"}}},)"
      R"("source":{"address":"192.0.2.10","port":51514}},"process":{"name":"sshd","pid":4242},)"
      R"("message":"Failed password for invalid user admin from 10.1.2.3 port 51234 ssh2",)"
      R"("kiroku":{"seq":1,"transport":"udp","truncated":false,"parse_error":false,"framing_error":false,"original_length":161}})"
      "\n");
}

TEST_F(SearchTest, LimitNoteGoesToStderr) {
  SearchRequest req;
  req.format = OutputFormat::kJson;
  req.limit = 1;
  std::string out = Run(req);
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1);
  EXPECT_EQ(err_.str(),
            "kiroku search: showing the first 1 matches; --limit N shows more, --limit 0 all\n");
}

TEST_F(SearchTest, BadQueryIsInvalidArgumentAndPrintsNothing) {
  SearchRequest req;
  req.query = "host.name:(a";
  Status s;
  EXPECT_EQ(Run(req, &s), "");
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(s.message(), "query: column 13: expected ')'");
}

TEST_F(SearchTest, DamageIsAWarning) {
  // Flip a byte inside the second frame: the scan skips it and says so; the others remain.
  std::string path = store::SegmentPath(journal_, SeqNo{1});
  StatusOr<std::string> bytes = fs_.ReadFile(path);
  ASSERT_TRUE(bytes.ok());
  size_t at = bytes->find("GET /index.html");
  ASSERT_NE(at, std::string::npos);
  (*bytes)[at] = 'X';
  ASSERT_TRUE(fs_.WriteFileAtomic(path, *bytes).ok());
  SearchRequest req;
  req.count = true;
  EXPECT_EQ(Run(req), "2\n");
  EXPECT_NE(err_.str().find("kiroku search: warning: journal damage: "), std::string::npos)
      << err_.str();
  EXPECT_NE(err_.str().find("results may be incomplete (run kiroku verify)"), std::string::npos);
}

}  // namespace
}  // namespace kiroku::query

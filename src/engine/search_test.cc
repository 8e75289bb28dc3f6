// End-to-end through the journal: records written as the store writes them, read back by
// Search() with the real ScanJournal (no sealed segments).
#include "engine/search.h"

#include <gtest/gtest.h>

#include <sstream>

#include "common/testing/temp_dir.h"
#include "query/internal/test_records.h"
#include "store/journal_files.h"
#include "store/record_codec.h"
#include "store/segment_header.h"

namespace kiroku::engine {
using query::OutputFormat;
using query::SearchRequest;
namespace internal = query::internal;
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

  std::string Run(SearchRequest req, Status* status = nullptr,
                  TimeMode time = TimeMode::kCorrected) {
    req.data_dir = dir_.path();
    std::ostringstream out;
    err_.str("");
    SearchSpec spec;
    spec.request = req;
    spec.time = time;
    Status s = Search(spec, fs_, clock_, out, err_);
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

TEST_F(SearchTest, FiltersInTimeOrder) {
  SearchRequest req;
  req.count = true;
  EXPECT_EQ(Run(req), "3\n");
  req.query = "NOT sshd";
  EXPECT_EQ(Run(req), "2\n");
  req.count = false;
  req.format = OutputFormat::kCsv;
  std::string csv = Run(req);
  EXPECT_NE(csv.find(",2,tcp,"), std::string::npos);
  EXPECT_GT(csv.find(",2,tcp,"), csv.find(",3,import,"));  // time order, not seq order
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
      R"("kiroku":{"seq":1,"transport":"udp","truncated":false,"parse_error":false,"framing_error":false,"original_length":161,)"
      // --time (default corrected; no clock watch here, so no corrected time).
      R"("time":{"mode":"corrected","device":"2026-11-26T14:29:59.500000000Z"}}})"
      "\n");
}

// --time with a clock watch's history in the data directory: web01's clock is 2 s behind.
// Device order is sshd (14:29:59.5), backup (14:30:00, imported: never corrected), garbage
// (no device time: received 14:30:00 + 1 ns); corrected, sshd moves to 14:30:01.5.
TEST_F(SearchTest, TimeModesOrderShowAndWindow) {
  std::string tw = JoinPath(dir_.path(), "timewatch");
  ASSERT_TRUE(fs_.CreateDirs(tw).ok());
  std::string line = R"({"host":"web01.example.com","address":"192.0.2.10","start_ns":)" +
                     std::to_string(internal::kTestNow) + R"(,"end_ns":0,"at_ns":)" +
                     std::to_string(internal::kTestNow) +
                     R"(,"offset_ns":-2000000000,"uncertainty_ns":1500000,"step":false})"
                     "\n";
  ASSERT_TRUE(fs_.WriteFileAtomic(JoinPath(tw, "offsets.jsonl"), line).ok());
  SearchRequest req;
  req.format = OutputFormat::kCsv;
  auto first_cells = [&](TimeMode mode) {
    std::istringstream csv(Run(req, nullptr, mode));
    std::string row, out;
    std::getline(csv, row);  // header
    while (std::getline(csv, row)) {
      if (row.rfind("2026-", 0) == 0) out += row.substr(0, row.find(',')) + " ";  // not "next"
    }
    return out;
  };
  EXPECT_EQ(first_cells(TimeMode::kDevice),
            "2026-11-26T14:29:59.500000000Z 2026-11-26T14:30:00.000000000Z "
            "2026-11-26T14:30:00.000000001Z ");
  EXPECT_EQ(first_cells(TimeMode::kCorrected),
            "2026-11-26T14:30:00.000000000Z 2026-11-26T14:30:00.000000001Z "
            "2026-11-26T14:30:01.500000000Z ");
  EXPECT_EQ(first_cells(TimeMode::kReceived),
            "2026-11-26T14:30:00.000000000Z 2026-11-26T14:30:00.000000001Z "
            "2026-11-26T14:30:02.000000000Z ");

  req.format = OutputFormat::kJson;
  req.query = "sshd";
  std::string json = Run(req);
  EXPECT_EQ(json.rfind(R"({"@timestamp":"2026-11-26T14:30:01.500000000Z",)", 0), 0) << json;
  EXPECT_NE(json.find(R"("time":{"mode":"corrected","device":"2026-11-26T14:29:59.500000000Z",)"
                      R"("corrected":"2026-11-26T14:30:01.500000000Z","uncertainty_ms":1.5}})"),
            std::string::npos)
      << json;
  // --time device: the output as before --time, whatever the clock watch knows.
  std::string device = Run(req, nullptr, TimeMode::kDevice);
  EXPECT_EQ(device.find("\"time\""), std::string::npos) << device;
  EXPECT_EQ(device.rfind(R"({"@timestamp":"2026-11-26T14:29:59.500000000Z",)", 0), 0);

  // --since/--until apply to the chosen time; --count too.
  req.query.clear();
  req.count = true;
  req.since = "2026-11-26T14:30:01Z";
  EXPECT_EQ(Run(req), "1\n");
  EXPECT_EQ(Run(req, nullptr, TimeMode::kDevice), "0\n");
  EXPECT_EQ(Run(req, nullptr, TimeMode::kReceived), "1\n");
  req.since.clear();
  req.until = "2026-11-26T14:30:00Z";
  EXPECT_EQ(Run(req), "0\n");
  EXPECT_EQ(Run(req, nullptr, TimeMode::kDevice), "1\n");
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
}  // namespace kiroku::engine

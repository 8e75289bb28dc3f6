#include "query/result_writer.h"

#include <gtest/gtest.h>

#include <sstream>

#include "query/internal/test_records.h"

namespace kiroku::query {
namespace {

// Feeds `n` copies of a record until the writer says stop; returns how many it took.
int Feed(ResultWriter& w, int n) {
  internal::TestRecord r = internal::SshdRecord();
  int fed = 0;
  while (fed < n && w.Add(r.view())) ++fed;
  w.Finish();
  return fed;
}

int Lines(const std::string& s) { return static_cast<int>(std::count(s.begin(), s.end(), '\n')); }

TEST(ResultWriterTest, CountIgnoresLimitAndFormat) {
  SearchRequest req;
  req.count = true;
  req.limit = 2;
  std::ostringstream out;
  ResultWriter w(req, out);
  EXPECT_EQ(Feed(w, 5), 5);
  EXPECT_EQ(out.str(), "5\n");
  EXPECT_FALSE(w.limited());
}

TEST(ResultWriterTest, CountOfNothingIsZero) {
  SearchRequest req;
  req.count = true;
  std::ostringstream out;
  ResultWriter w(req, out);
  w.Finish();
  EXPECT_EQ(out.str(), "0\n");
}

TEST(ResultWriterTest, LimitStopsAndKnowsThereWasMore) {
  SearchRequest req;
  req.format = OutputFormat::kJson;
  req.limit = 3;
  std::ostringstream out;
  ResultWriter w(req, out);
  EXPECT_EQ(Feed(w, 10), 3);
  EXPECT_EQ(Lines(out.str()), 3);
  EXPECT_TRUE(w.limited());
  EXPECT_EQ(w.matched(), 3u);
}

TEST(ResultWriterTest, ExactlyTheLimitIsNotLimited) {
  SearchRequest req;
  req.format = OutputFormat::kJson;
  req.limit = 3;
  std::ostringstream out;
  ResultWriter w(req, out);
  EXPECT_EQ(Feed(w, 3), 3);
  EXPECT_FALSE(w.limited());
}

TEST(ResultWriterTest, DefaultLimits) {
  SearchRequest table;  // 100 rows, plus the header line
  std::ostringstream t;
  ResultWriter wt(table, t);
  EXPECT_EQ(Feed(wt, 1000), 100);
  EXPECT_EQ(Lines(t.str()), 101);
  EXPECT_TRUE(wt.limited());

  SearchRequest csv;
  csv.format = OutputFormat::kCsv;
  std::ostringstream c;
  ResultWriter wc(csv, c);
  EXPECT_EQ(Feed(wc, 1000), 1000);
  EXPECT_FALSE(wc.limited());

  SearchRequest unlimited_table;
  unlimited_table.limit = 0;
  std::ostringstream u;
  ResultWriter wu(unlimited_table, u);
  EXPECT_EQ(Feed(wu, 1000), 1000);
  EXPECT_EQ(Lines(u.str()), 1001);
}

}  // namespace
}  // namespace kiroku::query

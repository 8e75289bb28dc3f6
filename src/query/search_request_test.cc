#include "query/search_request.h"

#include <gtest/gtest.h>

#include "query/internal/test_records.h"

namespace kiroku::query {
namespace {

constexpr int64_t kNow = internal::kTestNow;

std::string Compiled(const SearchRequest& r) {
  StatusOr<Node> n = CompileRequest(r, kNow);
  return n.ok() ? ToString(*n) : "error: " + n.status().message();
}

TEST(SearchRequestTest, NoWindowLeavesTheQueryAlone) {
  SearchRequest r;
  EXPECT_EQ(Compiled(r), "*");
  r.query = "sshd";
  EXPECT_EQ(Compiled(r), R"(~"sshd")");
}

TEST(SearchRequestTest, SinceInclusiveUntilExclusiveOnTimestamp) {
  SearchRequest r;
  r.since = "2026-11-26";
  r.until = "2026-11-26T12:00:00Z";
  EXPECT_EQ(Compiled(r),
            "@timestamp:[2026-11-26T00:00:00.000000000Z TO 2026-11-26T11:59:59.999999999Z]");
  r.query = "a b";
  EXPECT_EQ(Compiled(r),
            "(AND @timestamp:[2026-11-26T00:00:00.000000000Z TO "
            "2026-11-26T11:59:59.999999999Z] ~\"a\" ~\"b\")");
  r.query = "a OR b";
  r.until.clear();
  r.since = "15m";
  EXPECT_EQ(Compiled(r),
            "(AND @timestamp:[2026-11-26T14:15:00.000000000Z TO *] (OR ~\"a\" ~\"b\"))");
}

TEST(SearchRequestTest, Errors) {
  SearchRequest r;
  r.since = "yesterday";
  EXPECT_EQ(Compiled(r),
            "error: --since: 'yesterday' is not a time; use 2026-11-26T14:00:00Z, "
            "2026-11-26T14:00:00+09:00, 2026-11-26, or 15m, 2h, 7d, now");
  r.since = "1h";
  r.until = "2h";
  EXPECT_EQ(Compiled(r), "error: --since 1h is not before --until 2h");
  r.until = "1h";
  EXPECT_EQ(Compiled(r), "error: --since 1h is not before --until 1h");
  r.until.clear();
  r.query = "(";
  EXPECT_EQ(Compiled(r), "error: query: column 2: expected a term");
}

TEST(SearchRequestTest, DefaultLimits) {
  EXPECT_EQ(DefaultLimit(OutputFormat::kTable), 100u);
  EXPECT_EQ(DefaultLimit(OutputFormat::kJson), 0u);
  EXPECT_EQ(DefaultLimit(OutputFormat::kCsv), 0u);
}

}  // namespace
}  // namespace kiroku::query

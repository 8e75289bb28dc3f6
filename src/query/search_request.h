// What `kiroku search` was asked (the CLI and the HTTP API fill this in), and its translation
// into one query tree: --since and --until become a range on @timestamp ANDed with the query,
// so the scan today and the term index later evaluate a single Node.
//
//   SearchRequest req{.data_dir = "kiroku-data", .query = "sshd failed", .since = "2h"};
//   StatusOr<Node> q = CompileRequest(req, clock.NowNs());
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "query/ast.h"
#include "query/formatter.h"

namespace kiroku::query {

struct SearchRequest {
  std::string data_dir = "kiroku-data";
  std::string query;  // the query language (docs/query.md); empty matches everything
  std::string since;  // time_arg.h forms; inclusive; empty: no lower bound
  std::string until;  // exclusive; empty: no upper bound
  OutputFormat format = OutputFormat::kTable;
  bool count = false;             // print only the number of matches (ignores limit and format)
  std::optional<uint64_t> limit;  // nullopt: DefaultLimit(format); 0: no limit
};

// table: 100 (a screenful or two for a person; ask for more with --limit); json and csv: none,
// since a program reading them wants everything.
uint64_t DefaultLimit(OutputFormat format);

// The query ANDed with @timestamp in [since, until). Errors are InvalidArgument naming the
// flag or the query column.
StatusOr<Node> CompileRequest(const SearchRequest& request, int64_t now_ns);

// The pieces of CompileRequest, for a window on another time (engine/time_mode.h):
// [since, until) as an inclusive range (nullopt: neither flag given), and `query` ANDed with
// `field` (a kTime field) in `window`.
StatusOr<std::optional<IntRangeTest>> CompileWindow(const SearchRequest& request, int64_t now_ns);
Node WithTimeRange(Node query, std::string_view field, const IntRangeTest& window);

}  // namespace kiroku::query

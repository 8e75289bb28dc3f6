#include "query/search_request.h"

#include "query/fields.h"
#include "query/parser.h"
#include "query/time_arg.h"

namespace kiroku::query {

uint64_t DefaultLimit(OutputFormat format) { return format == OutputFormat::kTable ? 100 : 0; }

StatusOr<std::optional<IntRangeTest>> CompileWindow(const SearchRequest& request, int64_t now_ns) {
  IntRangeTest window;
  for (auto [flag, text, bound] : {std::tuple{"--since", &request.since, &window.lo},
                                   std::tuple{"--until", &request.until, &window.hi}}) {
    if (text->empty()) continue;
    StatusOr<int64_t> t = ParseTimeArg(*text, now_ns);
    if (!t.ok()) return Status::InvalidArgument(std::string(flag) + ": " + t.status().message());
    *bound = *t;
  }
  if (!request.until.empty()) {
    if (window.hi == INT64_MIN) return Status::InvalidArgument("--until: before any time");
    --window.hi;  // --until is exclusive
  }
  if (window.lo > window.hi) {
    return Status::InvalidArgument("--since " + request.since + " is not before --until " +
                                   request.until);
  }
  if (request.since.empty() && request.until.empty()) return std::optional<IntRangeTest>();
  return std::optional<IntRangeTest>(window);
}

Node WithTimeRange(Node query, std::string_view field, const IntRangeTest& window) {
  Node time;
  time.kind = Node::Kind::kTerm;
  time.term.fields = {FindField(field)};
  time.term.test = window;
  if (query.kind == Node::Kind::kMatchAll) return time;
  // The time test goes first: a comparison of two integers settles most records before any
  // text is tokenized.
  Node both;
  both.kind = Node::Kind::kAnd;
  both.children.push_back(std::move(time));
  if (query.kind == Node::Kind::kAnd) {
    for (Node& c : query.children) both.children.push_back(std::move(c));
  } else {
    both.children.push_back(std::move(query));
  }
  return both;
}

StatusOr<Node> CompileRequest(const SearchRequest& request, int64_t now_ns) {
  StatusOr<std::optional<IntRangeTest>> window = CompileWindow(request, now_ns);
  if (!window.ok()) return window.status();
  StatusOr<Node> query = ParseQuery(request.query, now_ns);
  if (!query.ok()) return query.status();
  if (!*window) return query;
  return WithTimeRange(std::move(*query), "@timestamp", **window);
}

}  // namespace kiroku::query

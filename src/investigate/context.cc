#include "investigate/context.h"

#include <algorithm>

#include "query/search_request.h"
#include "query/time_arg.h"

namespace kiroku::investigate {

namespace {

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

}  // namespace

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

std::string TimeText(int64_t ns) { return query::FormatRfc3339(ns, 3); }

std::vector<std::string> EventRow::All(normalize::Field f) const {
  std::vector<std::string> out;
  event.ForEach(f, [&](std::string_view v) { out.emplace_back(v); });
  return out;
}

bool EventRow::HasValue(normalize::Field f, std::string_view value) const {
  bool found = false;
  event.ForEach(f, [&](std::string_view v) { found = found || EqualsIgnoreCase(v, value); });
  return found;
}

bool Context::IsInternal(std::string_view ip) const {
  static const normalize::Config kDefaults;
  return (config ? *config : kDefaults).IsInternal(ip);
}

Status Context::Find(std::string_view query_text, std::vector<EventRow>* out,
                     uint64_t limit) const {
  query::SearchRequest request;
  request.query = std::string(query_text);
  request.since = since;
  request.until = until;
  engine::RunOptions options;
  options.time_of = time_of;
  options.time_slack_ns = time_slack_ns;
  StatusOr<query::Node> query =
      times ? times->Compile(request, now_ns, &options) : query::CompileRequest(request, now_ns);
  if (!query.ok()) return query.status();

  size_t first = out->size();
  options.limit = limit;
  options.need_events = true;
  options.include_internal = false;
  engine::RunStats stats;
  Status s = engine->Run(
      *query, options,
      [&](const engine::Hit& hit) {
        EventRow row;
        row.seq = hit.record.seq.value;
        row.time_ns = hit.time_ns;
        row.receive_time_ns = hit.record.receive_time_ns;
        if (times && times->annotates()) row.times = times->Of(hit.record);
        row.host = std::string(hit.record.Field(hit.record.header.host));
        row.process = std::string(hit.record.Field(hit.record.header.app));
        row.message = std::string(hit.record.Field(hit.record.header.msg));
        if (hit.event) row.event = *hit.event;
        out->push_back(std::move(row));
        return true;
      },
      &stats);
  if (!s.ok()) return s;
  // The engine orders by (time, seq) already; kept stable here so a report never depends on
  // an engine that streams in another order.
  std::stable_sort(out->begin() + static_cast<std::ptrdiff_t>(first), out->end(),
                   [](const EventRow& a, const EventRow& b) {
                     return a.time_ns != b.time_ns ? a.time_ns < b.time_ns : a.seq < b.seq;
                   });
  return Status::Ok();
}

}  // namespace kiroku::investigate

#include "timewatch/report_format.h"

#include <fmt/format.h>

#include <algorithm>

namespace kiroku::timewatch {

namespace {
std::vector<const SourceReport*> Sorted(const SourcesView& view) {
  std::vector<const SourceReport*> v;
  for (const SourceReport& r : view.sources) v.push_back(&r);
  std::sort(v.begin(), v.end(), [](const SourceReport* a, const SourceReport* b) {
    return std::tie(a->host, a->address) < std::tie(b->host, b->address);
  });
  return v;
}

std::string Or(const std::string& s) { return s.empty() ? "-" : s; }

// "2026-05-28T10:00:00.123Z" -> "2026-05-28 10:00:00"
std::string Short(int64_t ns) {
  std::string t = FormatTime(ns);
  if (t.size() < 19) return "-";
  t[10] = ' ';
  return t.substr(0, 19);
}
}  // namespace

void WriteSourcesJson(const SourcesView& view, std::ostream& out) {
  for (const SourceReport* r : Sorted(view)) out << r->ToJson().dump() << "\n";
}

void WriteTimeServersJson(const SourcesView& view, std::ostream& out) {
  for (const auto& [server, n] : view.time_servers) {
    out << nlohmann::json{{"time_server", server}, {"sources", n}}.dump() << "\n";
  }
}

void WriteSourcesTable(const SourcesView& view, std::ostream& out) {
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"HOST", "ADDRESS", "TYPE", "MESSAGES", "LAST SEEN", "OFFSET MS", "± MS",
                  "DRIFT PPM", "LAST SYNC", "TIME SERVER", "STATUS"});
  for (const SourceReport* r : Sorted(view)) {
    std::string status = r->status;
    if (!r->likely_timezone.empty()) status += " (" + r->likely_timezone + ")";
    rows.push_back(
        {Or(r->host), Or(r->address), Or(r->observer_type), std::to_string(r->messages),
         Short(r->last_seen_ns), r->offset_ms ? fmt::format("{:.1f}", *r->offset_ms) : "-",
         r->uncertainty_ms ? fmt::format("{:.1f}", *r->uncertainty_ms) : "-",
         r->drift_ppm ? fmt::format("{:.1f}", *r->drift_ppm) : "-",
         r->last_sync_ns ? Short(r->last_sync_ns) : "never", Or(r->time_server), status});
  }
  std::vector<size_t> width(rows[0].size(), 0);
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(width[i] - row[i].size() + 2, ' ');
    }
    out << line << "\n";
  }
  out << "\n";
  if (view.time_servers.empty()) {
    out << "time servers: none seen in the sources' logs\n";
  } else {
    out << "time servers:";
    for (const auto& [server, n] : view.time_servers) {
      out << " " << server << " (" << n << (n == 1 ? " source)" : " sources)");
    }
    out << "\n";
    if (view.time_servers.size() == 1) {
      out << "warning: only one time server is in use; G-I.1 asks for a second\n";
    }
  }
  const nlohmann::json& sc = view.server_clock;
  if (sc.value("known", false)) {
    out << fmt::format("server clock: {}, max error {:.3f} ms (checked {})\n",
                       sc.value("synced", false) ? "synchronised" : "NOT synchronised",
                       static_cast<double>(sc.value("max_error_us", int64_t{0})) / 1e3,
                       FormatTime(sc.value("checked_ns", int64_t{0})));
  }
}

}  // namespace kiroku::timewatch

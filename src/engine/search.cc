#include "engine/search.h"

#include <algorithm>
#include <map>

#include "engine/columns_formatter.h"
#include "engine/field_list.h"
#include "query/format_csv.h"
#include "query/format_json.h"
#include "query/format_table.h"
#include "query/formatter.h"

namespace kiroku::engine {
namespace {

constexpr char kSep = '\x1f';             // between the values of one stats row's key
constexpr size_t kMaxCombinations = 256;  // per record, for several multi-valued by-fields

void Report(const RunStats& stats, std::ostream& err) {
  for (const std::string& problem : stats.problems) {
    if (problem.rfind("journal: ", 0) == 0) {
      err << "kiroku search: warning: journal damage: " << problem.substr(9) << '\n';
    } else {
      err << "kiroku search: warning: " << problem << '\n';
    }
  }
  if (stats.journal_bytes_skipped > 0 || stats.blocks_damaged > 0 || stats.segments_damaged > 0 ||
      !stats.problems.empty()) {
    err << "kiroku search: warning: skipped " << stats.journal_bytes_skipped
        << " damaged journal bytes, " << stats.blocks_damaged << " damaged blocks, "
        << stats.segments_damaged
        << " damaged segments; results may be incomplete (run kiroku verify)\n";
  }
}

void Explain(const RunStats& s, std::ostream& err) {
  err << "kiroku search: explain: segments " << s.segments_opened << "/" << s.segments_total
      << " opened, blocks " << s.blocks_read << "/" << s.blocks_total << " read, records examined "
      << s.records_examined << " (journal " << s.journal_records << "), hits " << s.hits
      << ", buffered peak " << s.buffered_peak << "\n";
}

// Every combination of one value per by-field.
void Combinations(const std::vector<std::vector<std::string>>& values, size_t i,
                  std::string* prefix, std::vector<std::string>* out) {
  if (out->size() >= kMaxCombinations) return;
  if (i == values.size()) {
    out->push_back(*prefix);
    return;
  }
  size_t at = prefix->size();
  for (const std::string& v : values[i]) {
    if (i) prefix->push_back(kSep);
    prefix->append(v);
    Combinations(values, i + 1, prefix, out);
    prefix->resize(at);
  }
}

std::vector<std::string> SplitKey(std::string_view key, size_t n) {
  std::vector<std::string> parts;
  for (size_t i = 0; i < n; ++i) {
    size_t sep = i + 1 == n ? std::string_view::npos : key.find(kSep);
    parts.emplace_back(key.substr(0, sep));
    if (sep != std::string_view::npos) key.remove_prefix(sep + 1);
  }
  return parts;
}

// Options for a run whose hits are counted, not ordered: the time hook only where it windows.
RunOptions Unordered(const RunOptions& timed) {
  RunOptions o = timed;
  o.ordered = false;
  if (o.time_since_ns == INT64_MIN && o.time_until_ns == INT64_MAX) o.time_of = nullptr;
  return o;
}

}  // namespace

StatusOr<PreparedSearch> PreparedSearch::Prepare(const SearchSpec& spec, Fs& fs,
                                                 const Clock& clock) {
  PreparedSearch p;
  p.spec_ = spec;
  // The query first: its errors are the user's and come before any about the data directory.
  if (StatusOr<query::Node> q = query::CompileRequest(spec.request, clock.NowNs()); !q.ok()) {
    return q.status();
  }
  if (!spec.stats.empty()) {
    StatusOr<std::vector<const query::FieldDef*>> by = ParseStatsSpec(spec.stats);
    if (!by.ok()) return by.status();
    p.by_ = std::move(*by);
  }
  if (!spec.fields.empty()) {
    StatusOr<std::vector<const query::FieldDef*>> f = ParseFieldList(spec.fields, "--fields");
    if (!f.ok()) return f.status();
    p.fields_ = std::move(*f);
  }
  if (!p.by_.empty() && !p.fields_.empty()) {
    return Status::InvalidArgument("--stats and --fields: choose one");
  }
  StatusOr<std::unique_ptr<Engine>> engine = Engine::Open(fs, spec.request.data_dir);
  if (!engine.ok()) return engine.status();
  p.engine_ = std::move(*engine);
  StatusOr<TimeSelector> times = TimeSelector::Load(fs, spec.request.data_dir, spec.time);
  if (!times.ok()) return times.status();
  p.times_ = std::make_shared<const TimeSelector>(std::move(*times));
  StatusOr<query::Node> q = p.times_->Compile(spec.request, clock.NowNs(), &p.time_options_);
  if (!q.ok()) return q.status();
  p.query_ = std::move(*q);
  return p;
}

Status PreparedSearch::Execute(std::ostream& out, std::ostream& err) {
  RunStats stats;
  Status s;
  if (spec_.request.count) {
    StatusOr<uint64_t> n = engine_->Count(query_, Unordered(time_options_), &stats);
    s = n.status();
    if (n.ok()) {
      out << *n << '\n';
      out.flush();
    }
  } else if (!by_.empty()) {
    s = RunStatsQuery(out, &stats);
  } else {
    s = RunRecords(out, err, &stats);
  }
  if (!s.ok()) return s;
  Report(stats, err);
  if (spec_.explain) Explain(stats, err);
  return Status::Ok();
}

Status PreparedSearch::RunRecords(std::ostream& out, std::ostream& err, RunStats* stats) {
  const query::SearchRequest& req = spec_.request;
  uint64_t limit = req.limit.value_or(query::DefaultLimit(req.format));
  std::unique_ptr<query::Formatter> formatter;
  RunOptions opt = time_options_;
  if (fields_.empty()) {
    formatter = query::MakeFormatter(req.format, out);
    opt.need_events = req.format == query::OutputFormat::kJson;
  } else {
    formatter = std::make_unique<ColumnsFormatter>(req.format, fields_, out);
    opt.need_events = AnyNormalized(fields_);
  }
  // One more than the limit, so that "exactly N" and "N and more" can be told apart.
  opt.limit = limit == 0 ? 0 : limit + 1;
  uint64_t printed = 0;
  bool limited = false;
  Status s = engine_->Run(
      query_, opt,
      [&](const Hit& hit) {
        if (limit != 0 && printed == limit) {
          limited = true;
          return false;
        }
        ++printed;
        if (times_->annotates()) {
          query::RecordTimes times = times_->Of(hit.record);
          formatter->Write(hit.record, hit.event, &times);
        } else {
          formatter->Write(hit.record, hit.event);
        }
        return out.good();
      },
      stats);
  if (!s.ok()) return s;
  formatter->Finish();
  if (limited) {
    err << "kiroku search: showing the first " << limit
        << " matches; --limit N shows more, --limit 0 all\n";
  }
  return Status::Ok();
}

Status PreparedSearch::RunStatsQuery(std::ostream& out, RunStats* stats) {
  const query::SearchRequest& req = spec_.request;
  RunOptions opt = Unordered(time_options_);
  opt.need_events = AnyNormalized(by_);
  std::map<std::string, uint64_t> counts;
  std::vector<std::vector<std::string>> values(by_.size());
  std::vector<std::string> keys;
  std::string prefix;
  Status s = engine_->Run(
      query_, opt,
      [&](const Hit& hit) {
        for (size_t i = 0; i < by_.size(); ++i) {
          values[i] = FieldTexts(*by_[i], hit.record, hit.event);
          if (values[i].empty()) return true;  // a record without a by-field is not counted
          // A list field counts each distinct value once per record.
          std::sort(values[i].begin(), values[i].end());
          values[i].erase(std::unique(values[i].begin(), values[i].end()), values[i].end());
        }
        keys.clear();
        prefix.clear();
        Combinations(values, 0, &prefix, &keys);
        for (const std::string& k : keys) ++counts[k];
        return true;
      },
      stats);
  if (!s.ok()) return s;

  std::vector<std::pair<std::string_view, uint64_t>> rows(counts.begin(), counts.end());
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  uint64_t top = req.limit.value_or(kDefaultStatsRows);
  if (top != 0 && rows.size() > top) rows.resize(top);

  std::string buf;
  switch (req.format) {
    case query::OutputFormat::kTable: {
      std::vector<std::string> header;
      for (const query::FieldDef* f : by_) header.emplace_back(f->name);
      header.emplace_back("COUNT");
      std::vector<std::vector<std::string>> cells;
      for (const auto& [key, n] : rows) {
        std::vector<std::string> row;
        for (const std::string& v : SplitKey(key, by_.size())) {
          std::string cell;
          query::AppendTerminalSafe(v, &cell);
          row.push_back(std::move(cell));
        }
        row.push_back(std::to_string(n));
        cells.push_back(std::move(row));
      }
      WriteAlignedTable(header, cells, true, &buf);
      break;
    }
    case query::OutputFormat::kCsv:
      for (const query::FieldDef* f : by_) {
        query::AppendCsvField(f->name, &buf);
        buf.push_back(',');
      }
      buf.append("count\r\n");
      for (const auto& [key, n] : rows) {
        for (const std::string& v : SplitKey(key, by_.size())) {
          query::AppendCsvField(v, &buf);
          buf.push_back(',');
        }
        buf.append(std::to_string(n)).append("\r\n");
      }
      break;
    case query::OutputFormat::kJson:
      for (const auto& [key, n] : rows) {
        buf.push_back('{');
        std::vector<std::string> parts = SplitKey(key, by_.size());
        for (size_t i = 0; i < by_.size(); ++i) {
          query::AppendJsonString(by_[i]->name, &buf);
          buf.push_back(':');
          AppendJsonValue(*by_[i], parts[i], &buf);
          buf.push_back(',');
        }
        buf.append("\"count\":").append(std::to_string(n)).append("}\n");
      }
      break;
  }
  out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
  out.flush();
  return Status::Ok();
}

Status Search(const SearchSpec& spec, Fs& fs, const Clock& clock, std::ostream& out,
              std::ostream& err) {
  StatusOr<PreparedSearch> p = PreparedSearch::Prepare(spec, fs, clock);
  if (!p.ok()) return p.status();
  return p->Execute(out, err);
}

}  // namespace kiroku::engine

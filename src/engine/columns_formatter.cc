#include "engine/columns_formatter.h"

#include <algorithm>

#include "engine/field_list.h"
#include "query/format_csv.h"
#include "query/format_json.h"
#include "query/format_table.h"

namespace kiroku::engine {
namespace {
constexpr size_t kBlockRows = query::TableFormatter::kBlockRows;
constexpr size_t kMaxAlignWidth = query::TableFormatter::kMaxAlignWidth;

std::string Joined(const std::vector<std::string>& values) {
  std::string s;
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) s.push_back(',');
    s.append(values[i]);
  }
  return s;
}
// FieldTexts, with @timestamp the chosen time under --time.
std::vector<std::string> Texts(const query::FieldDef& f, const RecordView& record,
                               const normalize::Event* event, const query::RecordTimes* times) {
  if (times && f.name == "@timestamp") {
    std::string s;
    query::FieldValue v;
    v.number = times->shown_ns;
    query::AppendFieldText(f.type, v, &s);
    return {std::move(s)};
  }
  return FieldTexts(f, record, event);
}

}  // namespace

void WriteAlignedTable(const std::vector<std::string>& header,
                       const std::vector<std::vector<std::string>>& rows, bool with_header,
                       std::string* out) {
  std::vector<size_t> width(header.size(), 0);
  for (size_t c = 0; c < header.size(); ++c) width[c] = query::DisplayWidth(header[c]);
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size() && c < width.size(); ++c) {
      width[c] = std::max(width[c], std::min(query::DisplayWidth(row[c]), kMaxAlignWidth));
    }
  }
  auto line = [&](const std::vector<std::string>& cells) {
    for (size_t c = 0; c < cells.size(); ++c) {
      out->append(cells[c]);
      if (c + 1 == cells.size()) break;
      size_t w = query::DisplayWidth(cells[c]);
      out->append(w < width[c] ? width[c] - w + 2 : 2, ' ');
    }
    out->push_back('\n');
  };
  if (with_header) line(header);
  for (const auto& row : rows) line(row);
}

ColumnsFormatter::ColumnsFormatter(query::OutputFormat format,
                                   std::vector<const query::FieldDef*> fields, std::ostream& out)
    : format_(format), fields_(std::move(fields)), out_(out) {
  if (format_ == query::OutputFormat::kCsv) {
    for (size_t i = 0; i < fields_.size(); ++i) {
      if (i) buf_.push_back(',');
      query::AppendCsvField(fields_[i]->name, &buf_);
    }
    buf_.append("\r\n");
  }
}

void ColumnsFormatter::Write(const RecordView& record, const normalize::Event* event,
                             const query::RecordTimes* times) {
  switch (format_) {
    case query::OutputFormat::kTable: {
      std::vector<std::string> row;
      for (const query::FieldDef* f : fields_) {
        std::vector<std::string> v = Texts(*f, record, event, times);
        std::string cell;
        if (v.empty()) {
          cell = "-";
        } else {
          query::AppendTerminalSafe(Joined(v), &cell);
        }
        row.push_back(std::move(cell));
      }
      rows_.push_back(std::move(row));
      if (rows_.size() >= kBlockRows) FlushTable();
      return;
    }
    case query::OutputFormat::kCsv:
      for (size_t i = 0; i < fields_.size(); ++i) {
        if (i) buf_.push_back(',');
        query::AppendCsvField(Joined(Texts(*fields_[i], record, event, times)), &buf_);
      }
      buf_.append("\r\n");
      break;
    case query::OutputFormat::kJson: {
      buf_.push_back('{');
      bool first = true;
      for (const query::FieldDef* f : fields_) {
        std::vector<std::string> v = Texts(*f, record, event, times);
        if (v.empty()) continue;
        if (!first) buf_.push_back(',');
        first = false;
        query::AppendJsonString(f->name, &buf_);
        buf_.push_back(':');
        bool list = IsListField(*f);
        if (list) buf_.push_back('[');
        for (size_t i = 0; i < v.size(); ++i) {
          if (i) buf_.push_back(',');
          AppendJsonValue(*f, v[i], &buf_);
          if (!list) break;
        }
        if (list) buf_.push_back(']');
      }
      buf_.append("}\n");
      break;
    }
  }
  if (buf_.size() >= (1u << 16)) {
    out_.write(buf_.data(), static_cast<std::streamsize>(buf_.size()));
    buf_.clear();
  }
}

void ColumnsFormatter::FlushTable() {
  if (rows_.empty()) return;
  std::vector<std::string> header;
  for (const query::FieldDef* f : fields_) header.emplace_back(f->name);
  std::string out;
  WriteAlignedTable(header, rows_, !header_written_, &out);
  header_written_ = true;
  rows_.clear();
  out_.write(out.data(), static_cast<std::streamsize>(out.size()));
}

void ColumnsFormatter::Finish() {
  if (format_ == query::OutputFormat::kTable) {
    FlushTable();
  } else {
    out_.write(buf_.data(), static_cast<std::streamsize>(buf_.size()));
    buf_.clear();
  }
  out_.flush();
}

}  // namespace kiroku::engine

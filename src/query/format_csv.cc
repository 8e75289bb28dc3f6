#include "query/format_csv.h"

#include <cstdlib>

#include "query/fields.h"
#include "query/internal/utf8.h"

namespace kiroku::query {
namespace {

constexpr size_t kFlushBytes = size_t{64} * 1024;

// Columns resolved against the field table once, so a renamed field fails at start-up in every
// test rather than printing an empty column.
const std::array<const FieldDef*, kCsvColumns.size()>& ColumnFields() {
  static const auto fields = [] {
    std::array<const FieldDef*, kCsvColumns.size()> out{};
    for (size_t i = 0; i < kCsvColumns.size(); ++i) {
      out[i] = FindField(kCsvColumns[i]);
      if (!out[i]) std::abort();  // kCsvColumns names a field that fields.cc does not have
    }
    return out;
  }();
  return fields;
}

}  // namespace

void AppendCsvField(std::string_view s, std::string* out) {
  bool quote = s.find_first_of(",\"\r\n") != std::string_view::npos;
  if (quote) out->push_back('"');
  size_t i = 0;
  while (i < s.size()) {
    auto b = static_cast<unsigned char>(s[i]);
    if (b == 0) {
      internal::AppendUtf8(internal::kReplacementChar, out);
      ++i;
    } else if (b < 0x80) {
      if (b == '"') out->push_back('"');
      out->push_back(static_cast<char>(b));
      ++i;
    } else {
      internal::Utf8Char c = internal::DecodeUtf8(s, i);
      if (c.valid) {
        out->append(s.data() + i, c.length);
      } else {
        internal::AppendUtf8(internal::kReplacementChar, out);
      }
      i += c.length;
    }
  }
  if (quote) out->push_back('"');
}

CsvFormatter::CsvFormatter(std::ostream& out) : out_(out) {
  for (size_t i = 0; i < kCsvColumns.size(); ++i) {
    if (i > 0) buf_.push_back(',');
    AppendCsvField(kCsvColumns[i], &buf_);
  }
  buf_.append("\r\n");
}

void CsvFormatter::Write(const RecordView& r, const normalize::Event* /*event*/,
                         const RecordTimes* times) {
  const auto& fields = ColumnFields();
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) buf_.push_back(',');
    // Column 0 is @timestamp: under --time, the chosen time.
    std::optional<FieldValue> v = fields[i]->extract(r);
    if (i == 0 && times && v) v->number = times->shown_ns;
    if (!v) continue;
    cell_.clear();
    AppendFieldText(fields[i]->type, *v, &cell_);
    AppendCsvField(cell_, &buf_);
  }
  buf_.append("\r\n");
  if (buf_.size() >= kFlushBytes) {
    out_.write(buf_.data(), static_cast<std::streamsize>(buf_.size()));
    buf_.clear();
  }
}

void CsvFormatter::Finish() {
  out_.write(buf_.data(), static_cast<std::streamsize>(buf_.size()));
  buf_.clear();
  out_.flush();
}

}  // namespace kiroku::query

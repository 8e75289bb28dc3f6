// --format csv: RFC 4180 (CRLF line ends, fields quoted when they hold ',', '"', CR or LF, with
// '"' doubled). A header row of dotted field names, then one row per record, always the same
// columns in the same order (kCsvColumns) so spreadsheets and scripts can rely on them; an
// absent field is an empty cell. Text is UTF-8 with invalid bytes and NUL as U+FFFD (CSV has no
// escape for them; use --format json for the exact bytes).
//
// Cells are not defused against spreadsheet formula injection (a message starting with '='):
// changing evidence text would be worse. docs/query.md warns about opening exports in Excel.
#pragma once

#include <array>
#include <ostream>
#include <string>
#include <string_view>

#include "query/formatter.h"

namespace kiroku::query {

inline constexpr std::array<std::string_view, 19> kCsvColumns = {
    "@timestamp",
    "event.created",
    "host.name",
    "process.name",
    "process.pid",
    "log.syslog.procid",
    "log.syslog.facility.code",
    "log.syslog.severity.code",
    "log.syslog.msgid",
    "log.source.address",
    "log.source.port",
    "kiroku.seq",
    "kiroku.transport",
    "kiroku.truncated",
    "kiroku.parse_error",
    "kiroku.framing_error",
    "kiroku.original_length",
    "log.syslog.structured_data",
    "message",
};

class CsvFormatter final : public Formatter {
 public:
  explicit CsvFormatter(std::ostream& out);
  ~CsvFormatter() override = default;
  using Formatter::Write;
  void Write(const RecordView& record, const normalize::Event* event,
             const RecordTimes* times) override;
  void Finish() override;

 private:
  std::ostream& out_;
  std::string buf_;
  std::string cell_;
};

// Appends `s` as one CSV field.
void AppendCsvField(std::string_view s, std::string* out);

}  // namespace kiroku::query

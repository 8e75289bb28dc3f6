// --format table: an aligned view for people at a terminal.
//
//   TIME                      HOST               APP          MESSAGE
//   2026-11-26T14:29:59.500Z  web01.example.com  sshd[4242]   Failed password for root ...
//
// TIME is @timestamp (or --time's RecordTimes::shown_ns) in UTC to the millisecond (json and
// csv carry nanoseconds). Columns are aligned within blocks of rows (kBlockRows), so output
// starts before the search ends; a very long host or app name only pushes its own row out of
// line. A missing value shows as "-".
// Every byte of record content is made safe for a terminal: control characters, DEL, C1
// controls, invalid UTF-8 and the bidirectional overrides that can make a line read differently
// from its bytes ("Trojan Source") are shown as \n, \t, \xHH or \u202e escapes, and a
// backslash as \\, so what is on screen maps back to the bytes unambiguously.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "query/formatter.h"

namespace kiroku::query {

class TableFormatter final : public Formatter {
 public:
  static constexpr size_t kBlockRows = 256;
  static constexpr size_t kMaxAlignWidth = 40;  // wider values are not padded to

  explicit TableFormatter(std::ostream& out) : out_(out) {}
  ~TableFormatter() override = default;
  using Formatter::Write;
  void Write(const RecordView& record, const normalize::Event* event,
             const RecordTimes* times) override;
  void Finish() override;

 private:
  struct Row {
    std::string time, host, app, message;
  };
  void FlushBlock();

  std::ostream& out_;
  std::vector<Row> rows_;
  bool header_written_ = false;
};

// Appends `s` made safe for a terminal (see above).
void AppendTerminalSafe(std::string_view s, std::string* out);

// Columns `s` takes on a terminal: 2 for East Asian wide characters, 1 for others. `s` is
// already terminal-safe.
size_t DisplayWidth(std::string_view s);

}  // namespace kiroku::query

// Output of `kiroku search`: one Formatter per --format, fed matching records in order.
//
// Formatters buffer and write to the stream in large pieces; Finish() writes what is left.
// Every formatter treats record content as hostile: it comes from the network, so it is
// escaped for the output's own syntax (terminal, JSON, CSV) and invalid UTF-8 never passes
// through unmarked. docs/query.md shows a sample line of each.
//
//   std::unique_ptr<Formatter> f = MakeFormatter(OutputFormat::kJson, std::cout);
//   f->Write(record);
//   f->Finish();
#pragma once

#include <memory>
#include <optional>
#include <ostream>
#include <string_view>

#include "common/record.h"
#include "normalize/event.h"

namespace kiroku::query {

enum class OutputFormat { kTable, kJson, kCsv };

std::optional<OutputFormat> OutputFormatFromName(std::string_view name);  // "table", ...
std::string_view OutputFormatName(OutputFormat f);

class Formatter {
 public:
  Formatter() = default;
  virtual ~Formatter() = default;
  Formatter(const Formatter&) = delete;
  Formatter& operator=(const Formatter&) = delete;

  // The record and its normalised fields (nullptr: not normalised) are only valid during the
  // call; formatters copy what they keep.
  virtual void Write(const RecordView& record, const normalize::Event* event) = 0;
  void Write(const RecordView& record) { Write(record, nullptr); }
  // Writes anything still buffered (and a table's last rows). Call once, after the last Write.
  virtual void Finish() = 0;
};

std::unique_ptr<Formatter> MakeFormatter(OutputFormat format, std::ostream& out);

}  // namespace kiroku::query

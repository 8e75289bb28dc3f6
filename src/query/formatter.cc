#include "query/formatter.h"

#include "query/format_csv.h"
#include "query/format_json.h"
#include "query/format_table.h"

namespace kiroku::query {

std::optional<OutputFormat> OutputFormatFromName(std::string_view name) {
  for (OutputFormat f : {OutputFormat::kTable, OutputFormat::kJson, OutputFormat::kCsv}) {
    if (OutputFormatName(f) == name) return f;
  }
  return std::nullopt;
}

std::string_view OutputFormatName(OutputFormat f) {
  switch (f) {
    case OutputFormat::kTable:
      return "table";
    case OutputFormat::kJson:
      return "json";
    case OutputFormat::kCsv:
      return "csv";
  }
  return "?";
}

std::unique_ptr<Formatter> MakeFormatter(OutputFormat format, std::ostream& out) {
  switch (format) {
    case OutputFormat::kTable:
      return std::make_unique<TableFormatter>(out);
    case OutputFormat::kJson:
      return std::make_unique<JsonFormatter>(out);
    case OutputFormat::kCsv:
      return std::make_unique<CsvFormatter>(out);
  }
  return nullptr;
}

}  // namespace kiroku::query

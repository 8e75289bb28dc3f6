// `kiroku search --fields a,b,c`: the chosen fields only, as table columns, CSV columns or the
// keys of a JSON object per line.
//
//   table  header of the field names, values aligned per block of 256 rows, `-` when absent,
//          several values joined by `,`; terminal-safe escaping as --format table.
//   csv    RFC 4180, header of the field names, an absent field an empty cell, several values
//          joined by `,` (inside one quoted cell).
//   json   {"host.name":"web01","source.ip":"10.1.2.3","email.to.address":["a@x","b@x"]}:
//          flat dotted keys, integers and booleans as JSON numbers and booleans, list fields
//          always arrays, absent fields left out.
//
//   ColumnsFormatter f(OutputFormat::kCsv, fields, std::cout);
//   f.Write(record, event);
//   f.Finish();
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "query/fields.h"
#include "query/formatter.h"

namespace kiroku::engine {

class ColumnsFormatter final : public query::Formatter {
 public:
  ColumnsFormatter(query::OutputFormat format, std::vector<const query::FieldDef*> fields,
                   std::ostream& out);
  ~ColumnsFormatter() override = default;
  using Formatter::Write;
  void Write(const RecordView& record, const normalize::Event* event,
             const query::RecordTimes* times) override;
  void Finish() override;

 private:
  void FlushTable();

  query::OutputFormat format_;
  std::vector<const query::FieldDef*> fields_;
  std::ostream& out_;
  std::string buf_;
  std::vector<std::vector<std::string>> rows_;  // table: escaped cells of the current block
  bool header_written_ = false;
};

// Writes rows of cells as an aligned table (the last column not padded), with a header.
void WriteAlignedTable(const std::vector<std::string>& header,
                       const std::vector<std::vector<std::string>>& rows, bool with_header,
                       std::string* out);

}  // namespace kiroku::engine

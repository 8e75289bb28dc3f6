// Runs a formatter over records and returns what it wrote, for the formatter tests.
#pragma once

#include <initializer_list>
#include <sstream>
#include <string>

#include "query/formatter.h"
#include "query/internal/test_record.h"

namespace kiroku::query::internal {

inline std::string Format(OutputFormat format, std::initializer_list<const TestRecord*> records) {
  std::ostringstream out;
  std::unique_ptr<Formatter> f = MakeFormatter(format, out);
  for (const TestRecord* r : records) f->Write(r->view());
  f->Finish();
  return out.str();
}

}  // namespace kiroku::query::internal

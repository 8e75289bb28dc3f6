// Fuzzes the query language: arbitrary bytes must parse or fail with a Status, never crash,
// hang or read out of bounds. What parses is evaluated against fixed records and against a
// record made of the input itself (so the tokenizer and text matching see hostile text too),
// and that record is run through every formatter.
//
//   clang++-14 -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -Isrc \
//     fuzz/query_parser_fuzz.cc src/query/*[^t].cc ... (see docs/query.md, "Fuzzing")
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>

#include "query/evaluator.h"
#include "query/formatter.h"
#include "query/internal/test_records.h"
#include "query/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kiroku;
  using namespace kiroku::query;
  std::string_view input(reinterpret_cast<const char*>(data), size);

  // The input as a message: host and app are its first bytes, the message the rest.
  internal::TestRecord own{std::string(input)};
  if (size >= 4) {
    own.base().header.host = Span{0, 2};
    own.base().header.app = Span{2, 1};
    own.base().header.msg = Span{3, static_cast<uint32_t>(size - 3)};
    own.base().header.structured_data = Span{0, static_cast<uint32_t>(size / 2)};
  }

  StatusOr<Node> q = ParseQuery(input, internal::kTestNow);
  if (q.ok()) {
    (void)ToString(*q);
    for (const internal::TestRecord& r :
         {internal::SshdRecord(), internal::GarbageRecord(), internal::BackupRecord()}) {
      (void)Matches(*q, r.view());
    }
    (void)Matches(*q, own.view());
  } else if (q.status().message().rfind("query: column ", 0) != 0) {
    __builtin_trap();  // every parse error must name its column
  }

  for (OutputFormat f : {OutputFormat::kTable, OutputFormat::kJson, OutputFormat::kCsv}) {
    std::ostringstream out;
    std::unique_ptr<Formatter> fmt = MakeFormatter(f, out);
    fmt->Write(own.view());
    fmt->Finish();
  }
  return 0;
}

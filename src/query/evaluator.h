// Decides whether a record matches a parsed query (ast.h). Pure and allocation-free for every
// test except IP prefixes written as text (`10.0.*`); it never fails, because the parser has
// already checked every value against its field's type.
//
//   StatusOr<Node> q = ParseQuery(text, now_ns);
//   if (Matches(*q, record)) formatter.Write(record);
#pragma once

#include "common/record.h"
#include "query/ast.h"

namespace kiroku::query {

bool Matches(const Node& query, const RecordView& record);

}  // namespace kiroku::query

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

// `event` holds the record's normalised fields (nullptr: none; terms on normalised fields then
// match nothing).
bool Matches(const Node& query, const RecordView& record, const normalize::Event* event = nullptr);

// Whether any term of the query reads a normalised field (then the record must be normalised
// before Matches can say yes).
bool UsesNormalizedFields(const Node& query);

}  // namespace kiroku::query

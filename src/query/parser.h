// Parses the query language of `kiroku search` (docs/query.md) into a Node tree (ast.h).
//
//   query      = [ or ] ;                      (* empty: every record *)
//   or         = and { "OR" and } ;
//   and        = not { [ "AND" ] not } ;       (* adjacent terms: AND *)
//   not        = "NOT" not | primary ;
//   primary    = "(" or ")" | FIELD ":" value_expr | WORD cmp value | WORD | PHRASE | "*" ;
//   value_expr = "(" group_or ")" | "*" | range | cmp value | value ;
//   group_or   = group_and { "OR" group_and } ;   (* inside field:( ... ) *)
//   group_and  = group_not { [ "AND" ] group_not } ;
//   group_not  = "NOT" group_not | "(" group_or ")" | range | cmp value | value ;
//   range      = ( "[" | "{" ) bound "TO" bound ( "]" | "}" ) ;   bound = value | "*" ;
//   cmp        = "<" | "<=" | ">" | ">=" ;     value = WORD | PHRASE ;
// AND, OR, NOT and TO are case-insensitive. Precedence: NOT, then AND, then OR. Values are
// checked against the field's type here, so errors come out with a column before any scanning.
//
//   StatusOr<Node> q = ParseQuery("sshd failed NOT host.name:bastion*", clock.NowNs());
//   if (!q.ok()) ...  // InvalidArgument "query: column 12: expected ')'"
#pragma once

#include <cstdint>
#include <string_view>

#include "common/status.h"
#include "query/ast.h"

namespace kiroku::query {

// `now_ns` resolves relative times in time values (`@timestamp >= 15m`).
// Errors are InvalidArgument, "query: column N: what is wrong", N counted in characters from 1.
StatusOr<Node> ParseQuery(std::string_view query, int64_t now_ns);

}  // namespace kiroku::query

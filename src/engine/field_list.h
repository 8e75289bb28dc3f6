// Field lists of `kiroku search --fields a,b,c` and `--stats 'count by a,b'`, and how one
// field's values of a record are written in each output format.
//
//   StatusOr<std::vector<const query::FieldDef*>> f = ParseFieldList("host.name,source.ip");
//   StatusOr<std::vector<const query::FieldDef*>> by = ParseStatsSpec("count by source.ip");
//   std::vector<std::string> v = FieldTexts(*f[0], record, event);
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/record.h"
#include "common/status.h"
#include "normalize/event.h"
#include "query/fields.h"

namespace kiroku::engine {

// Comma-separated field names (blanks around them ignored). InvalidArgument naming `flag` for
// an unknown field, an empty list or a repeated name.
StatusOr<std::vector<const query::FieldDef*>> ParseFieldList(std::string_view text,
                                                             std::string_view flag);
// "count by FIELD[,FIELD]" ("count" and "by" case-insensitive): the FIELDs.
StatusOr<std::vector<const query::FieldDef*>> ParseStatsSpec(std::string_view text);

// Whether any of the fields is a normalised one (the run must then normalise).
bool AnyNormalized(const std::vector<const query::FieldDef*>& fields);
// Whether the field may hold several values (a list field of the schema).
bool IsListField(const query::FieldDef& f);

// Every value of f in the record as plain text (AppendFieldText), in order.
std::vector<std::string> FieldTexts(const query::FieldDef& f, const RecordView& r,
                                    const normalize::Event* event);
// One value as a JSON value: a number for integers, true/false for booleans, else a string.
void AppendJsonValue(const query::FieldDef& f, std::string_view text, std::string* out);

}  // namespace kiroku::engine

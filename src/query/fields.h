// The searchable fields: one table of ECS name → type → how to read it from a record.
//
// The query parser resolves names against this table and checks each value against the field's
// type; the evaluator reads values through the extractors; docs/query.md lists the same table.
// To add a field (the normaliser's event.*, source.ip, user.name, ...), add one row to kFields
// in fields.cc.
//
//   const FieldDef* f = FindField("host.name");
//   std::optional<FieldValue> v = f->extract(record);
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/record.h"
#include "normalize/event.h"
#include "normalize/schema.h"
#include "query/ip_address.h"

namespace kiroku::query {

enum class FieldType {
  kText,     // tokenized (tokenizer.h): words, phrases, prefix*
  kKeyword,  // one whole value: exact (ASCII case-insensitive) or prefix*
  kInteger,  // int64: exact and ranges
  kTime,     // UTC ns since the epoch: ranges, and `field:T` for T's whole second or day
  kIp,       // IPv4/IPv6: exact, CIDR, ranges
  kBool,     // true / false
};
std::string_view FieldTypeName(FieldType t);  // "text", "keyword", ...

// One value read from a record. Only the member matching the field's type is set; `text`
// points into the record (or into static storage), never into a temporary.
struct FieldValue {
  std::string_view text;  // kText, kKeyword
  int64_t number = 0;     // kInteger, kTime
  IpAddress ip;           // kIp
  bool boolean = false;   // kBool
};

// nullopt when the record does not have the field (NILVALUE, no peer, unknown severity, ...).
using Extractor = std::optional<FieldValue> (*)(const RecordView& r);

// A field is either read from the record itself (`extract`) or is one of the normalised fields
// a device normaliser derives (`normalized`, read from the record's normalize::Event; such a
// field may hold several values).
struct FieldDef {
  std::string_view name;
  FieldType type;
  bool default_search;  // bare words and phrases search this field too
  Extractor extract;
  std::string_view description;
  std::optional<normalize::Field> normalized = std::nullopt;
};

// Every field: the record's own, in the order docs/query.md lists them, then the normalised
// fields in docs/schema.md's order.
std::span<const FieldDef> AllFields();

// Calls fn(const FieldValue&) for each value of `f` in the record (normalised fields read
// `event`, which may be null when the record was not normalised). Values that do not parse as
// the field's type are skipped (normalize::Event already refuses them).
template <typename Fn>
void ForEachValue(const FieldDef& f, const RecordView& r, const normalize::Event* event, Fn&& fn);

// A normalised field's text as a typed value; nullopt when it does not parse.
std::optional<FieldValue> NormalizedValue(FieldType type, std::string_view text);

template <typename Fn>
void ForEachValue(const FieldDef& f, const RecordView& r, const normalize::Event* event, Fn&& fn) {
  if (f.extract) {
    if (std::optional<FieldValue> v = f.extract(r)) fn(*v);
    return;
  }
  if (!event || !f.normalized) return;
  event->ForEach(*f.normalized, [&](std::string_view text) {
    if (std::optional<FieldValue> v = NormalizedValue(f.type, text)) fn(*v);
  });
}

// nullptr when there is no such field. Names are case-sensitive, as in ECS.
const FieldDef* FindField(std::string_view name);

// The value as plain text (not escaped): integers in decimal, times in RFC 3339 UTC with
// nanoseconds, IPs in their usual text form, booleans as true/false.
void AppendFieldText(FieldType type, const FieldValue& v, std::string* out);

// @timestamp: the device's time, or the receive time when the message carried none.
int64_t TimestampNs(const RecordView& r);

// kiroku.parse_error: the journal's flag or the header parser's verdict.
inline bool HasParseError(const RecordView& r) { return r.parse_error() || r.header.parse_error; }

// process.pid: PROCID when it is a decimal number that fits in an int64.
std::optional<int64_t> ProcessId(const RecordView& r);

}  // namespace kiroku::query

// What the term index holds: the term keys of a record, made the same way by the sealer (which
// stores them) and the query planner (plan.h, which looks them up). One place, so both sides
// always agree. docs/formats/segment.md describes the key bytes; docs/decisions/index.md why.
//
// A key is `field name` 0x00 `value bytes`:
//   - text (message, structured data, normalised text fields; bare words): every run of 1..4
//     consecutive parts of each token (query/tokenizer.h), lower-cased, so a search word of
//     up to 4 parts is one lookup and a longer one is the intersection of its 4-part windows;
//   - keyword fields: the whole value, lower-cased (exact and prefix* by ScanRange);
//   - IP fields: 16 bytes (IPv4 mapped), so CIDR and ranges are ScanRange;
//   - integer fields: 8 bytes big-endian with the sign bit flipped (ranges by ScanRange);
//   - booleans: the value "true" only; every indexed field also has the key `name` 0x00 0xFF
//     ... (presence) so `field:*` is a lookup.
// Fields that are not indexed (listed in IndexInfo) make the planner read every block in the
// time range: an absent key then proves nothing.
//
//   TermCollector terms;
//   AppendRecordTerms(record, event, &terms);   // per record
//   block.terms = terms.Take();
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/record.h"
#include "normalize/event.h"
#include "query/fields.h"

namespace kiroku::index {

// Collects keys for one block; deduplicates cheaply.
class TermCollector {
 public:
  void Add(std::string key);
  std::vector<std::string> Take();
  // ...
};

// Appends every key of one record (its own fields and, when `event` is not null, its
// normalised fields) to `out`.
void AppendRecordTerms(const RecordView& record, const normalize::Event* event,
                       TermCollector* out);

// Whether a field's values are in the index (the planner must read every block for a field
// that is not).
bool IsIndexed(const query::FieldDef& field);

// Key encodings, shared with the planner.
std::string KeywordKey(std::string_view field, std::string_view folded_value);
std::string TextKey(std::string_view field, std::string_view folded_run);
std::string IpKey(std::string_view field, const query::IpAddress& ip);
std::string IntKey(std::string_view field, int64_t v);
std::string PresenceKey(std::string_view field);

// JSON stored in each segment's metadata: key format version, the indexed fields, the
// normaliser settings' hash. The planner refuses to use a segment's index when the version is
// not one it knows (it then reads every block).
std::string IndexInfo(std::string_view normalize_settings_json);

}  // namespace kiroku::index

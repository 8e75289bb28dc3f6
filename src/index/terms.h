// What the term index holds: the term keys of a record, made the same way by the sealer (which
// stores them) and the query planner (plan.h, which looks them up). One place, so both sides
// always agree. docs/formats/segment.md ("Term keys") has the byte grammar; docs/decisions/
// index.md says what is indexed and why.
//
// A key is `field name` 0x00 `value bytes`:
//   - text: every run of 1..4 consecutive parts of each token (query/tokenizer.h), lower-cased,
//     so a search word of up to 4 parts is one lookup and a longer one is the intersection of
//     its 4-part windows. The default-search fields (message, host.name, process.name: what a
//     bare word searches) share the pseudo field `_text`, so a bare word is one lookup;
//     `message:word` uses `_text` too (a superset). Other text fields use their own name.
//   - keyword fields: the whole value, lower-cased (exact and prefix* by ScanRange);
//   - IP fields: 16 bytes (IPv4 mapped), so CIDR and ranges are ScanRange;
//   - integer fields: 8 bytes big-endian with the sign bit flipped (ranges by ScanRange);
//   - booleans: the value "true" only.
// Values longer than kMaxTextRunBytes (text) or kMaxKeywordBytes (keyword) are cut to that many
// bytes; the planner cuts search values the same way (a superset: the engine checks exactly).
// Presence: a field that may be absent has the key `name` 0x01 when the record has it, so
// `field:*` is one lookup (0x01 sorts after every `name` 0x00 ... key, so no value range scan
// ever meets it).
// Fields whose values are not indexed (listed in IndexInfo) make the planner read every block
// that has the field: an absent value key then proves nothing.
//
//   TermCollector terms;
//   AppendRecordTerms(record, &event, &terms);   // per record
//   block.terms = terms.Take();                  // per block
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/fs.h"
#include "common/record.h"
#include "common/status.h"
#include "normalize/event.h"
#include "query/fields.h"

namespace kiroku::index {

// The key format's version, in IndexInfo; the planner ignores indexes of any other version.
inline constexpr int kIndexVersion = 1;
inline constexpr std::string_view kTextField = "_text";  // message, host.name, process.name
inline constexpr size_t kMaxTextRunBytes = 64;
inline constexpr size_t kMaxKeywordBytes = 256;
inline constexpr size_t kMaxRunParts = 4;

// Collects the distinct keys of one block. Keys are kept per field (the value bytes only), so
// a text run is a view into its folded token and is never copied unless it is new; a key that
// is already there costs a hash and a compare. A token with several parts is expanded into its
// runs only the first time it occurs in the block, and a presence key is one flag.
class TermCollector {
 public:
  TermCollector();
  ~TermCollector();
  TermCollector(const TermCollector&) = delete;
  TermCollector& operator=(const TermCollector&) = delete;

  // Any key (`field` 0x00 `value` or `field` 0x01).
  void Add(std::string_view key);
  void AddFieldValue(std::string_view field, std::string_view value);
  // The keys of the encodings below, built in place.
  void AddTextRuns(std::string_view field, std::string_view text);
  void AddKeyword(std::string_view field, std::string_view value);  // folds and cuts
  void AddIp(std::string_view field, const query::IpAddress& ip);
  void AddInt(std::string_view field, int64_t v);
  void AddPresence(std::string_view field);
  // Distinct keys so far.
  size_t size() const;
  // The distinct keys, grouped by field; the collector is empty afterwards.
  std::vector<std::string> Take();
  // The same into `out` (replacing its contents), reusing the capacity of the strings already
  // there: a sealer that keeps one vector across blocks allocates nothing per key.
  void TakeInto(std::vector<std::string>* out);
  void Clear();

 private:
  friend void AppendRecordTerms(const RecordView&, const normalize::Event*, TermCollector*);
  struct FieldKeys;
  FieldKeys& ById(size_t id);  // ids: positions in query::AllFields(), then `_text`, then others
  FieldKeys& ByName(std::string_view field);
  void AddTextRunsTo(FieldKeys& f, std::string_view text);
  void AddRuns(FieldKeys& f, std::string_view token);
  void AddKeywordTo(FieldKeys& f, std::string_view value);

  std::vector<std::unique_ptr<FieldKeys>> fields_;
  std::string scratch_;
  std::vector<uint32_t> part_starts_;  // of the token being expanded
  std::vector<uint32_t> part_ends_;
};

// Appends every key of one record (its own fields and, when `event` is not null, its
// normalised fields, correlated ones included) to `out`.
void AppendRecordTerms(const RecordView& record, const normalize::Event* event, TermCollector* out);

// How the index answers for one field (plan.cc reads it; terms.cc writes by it).
enum class ValueIndex : uint8_t {
  kNone,       // values not indexed (presence may be)
  kText,       // runs, under TextKeyField(field)
  kKeyword,    // whole value, folded
  kIp,         // 16 bytes
  kInteger,    // 8 bytes
  kBoolTrue,   // "true" only
  kBlockTime,  // @timestamp / event.created: answered by the block table's time bounds
  kBlockSeq,   // kiroku.seq: answered by the block table's seq ranges
};
struct FieldIndexing {
  ValueIndex values = ValueIndex::kNone;
  bool presence = false;   // has the `name` 0x01 key when present
  bool bare_text = false;  // its text also goes to `_text` (a default-search field)
};
FieldIndexing IndexingOf(const query::FieldDef& field);

// Whether a field's values are in the index (the planner must read every block for a field
// that is not).
bool IsIndexed(const query::FieldDef& field);

// The field name under which a text field's runs are stored: `_text` for the default-search
// fields, else the field's own name.
std::string_view TextKeyField(const query::FieldDef& field);

// Key encodings, shared with the planner. Values are cut to the limits above.
std::string KeywordKey(std::string_view field, std::string_view folded_value);
std::string TextKey(std::string_view field, std::string_view folded_run);
std::string IpKey(std::string_view field, const query::IpAddress& ip);
std::string IntKey(std::string_view field, int64_t v);
std::string PresenceKey(std::string_view field);
// The 8 value bytes of IntKey and back.
void AppendIntBytes(int64_t v, std::string* out);
int64_t IntFromBytes(std::string_view eight);

// JSON stored in each segment's metadata: key format version, the indexed fields, the fields
// not indexed, the normaliser settings' hash. The planner refuses to use a segment's index when
// the version is not one it knows (it then reads every block).
//   {"version":1,"text_field":"_text","max_run_parts":4,"indexed":[...],"not_indexed":[...],
//    "normalize_settings_hash":"fnv1a64:0123456789abcdef"}
std::string IndexInfo(std::string_view normalize_settings_json);
// IndexInfo of the settings a data directory's records are normalised with (DATA/normalize.json,
// the defaults when it is absent): what the sealer stores and what the engine compares with.
StatusOr<std::string> DataDirIndexInfo(Fs& fs, const std::string& data_dir);
// "fnv1a64:" and 16 hex digits; what IndexInfo stores.
std::string NormalizeSettingsHash(std::string_view normalize_settings_json);

}  // namespace kiroku::index

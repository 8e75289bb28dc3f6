#include "index/terms.h"

#include <array>
#include <charconv>
#include <cstring>
#include <nlohmann/json.hpp>
#include <span>

#include "index/internal/key_set.h"
#include "normalize/all/normalizer.h"
#include "query/tokenizer.h"

namespace kiroku::index {
namespace {

constexpr char kValueSep = '\0';
constexpr char kPresenceMark = '\x01';

// Not indexed, and why (docs/decisions/index.md): unique-per-record numbers whose keys would
// outnumber everything else and that investigators filter by range on a field they already
// narrowed, the raw bytes (message and header fields are indexed on their own), and fields the
// block table answers.
constexpr std::array<std::string_view, 8> kValuesNotIndexed = {
    "event.original",    "kiroku.original_length", "network.bytes", "source.bytes",
    "destination.bytes", "http.response.bytes",    "source.port",   "kiroku.ntp.offset_us",
};
// Fields every record has: a presence key would be in every block.
constexpr std::array<std::string_view, 9> kAlwaysPresent = {
    "@timestamp",         "event.created",        "event.original",
    "kiroku.seq",         "kiroku.transport",     "kiroku.truncated",
    "kiroku.parse_error", "kiroku.framing_error", "kiroku.original_length",
};

template <size_t N>
bool In(const std::array<std::string_view, N>& set, std::string_view name) {
  for (std::string_view s : set) {
    if (s == name) return true;
  }
  return false;
}

// Byte classes of query/tokenizer.h and ASCII folding, as tables for the inner loops.
struct ByteTables {
  std::array<uint8_t, 256> cls{};  // 0 separator, 1 joiner, 2 word byte
  std::array<char, 256> fold{};
  ByteTables() {
    for (int i = 0; i < 256; ++i) {
      const char c = static_cast<char>(i);
      cls[i] = query::IsWordByte(c) ? 2 : query::IsJoiner(c) ? 1 : 0;
      fold[i] = query::FoldAscii(c);
    }
  }
};
const ByteTables kBytes;

inline uint8_t Class(char c) { return kBytes.cls[static_cast<unsigned char>(c)]; }
inline char Fold(char c) { return kBytes.fold[static_cast<unsigned char>(c)]; }

struct RecordField {
  const query::FieldDef* def;
  FieldIndexing how;
  size_t id;  // position in query::AllFields()
};

// The record's own fields that produce keys, and per normalised field its name and indexing.
struct Tables {
  std::vector<RecordField> record;
  std::array<std::string_view, normalize::kFieldCount> normalized_name{};
  std::array<FieldIndexing, normalize::kFieldCount> normalized_how{};
  std::array<size_t, normalize::kFieldCount> normalized_id{};
  size_t text_id = 0;  // `_text`: after every field of query::AllFields()
};

const Tables& GetTables() {
  static const Tables tables = [] {
    Tables t;
    const std::span<const query::FieldDef> fields = query::AllFields();
    t.text_id = fields.size();
    for (size_t id = 0; id < fields.size(); ++id) {
      const query::FieldDef& f = fields[id];
      FieldIndexing how = IndexingOf(f);
      if (f.normalized) {
        auto i = static_cast<size_t>(*f.normalized);
        t.normalized_name[i] = f.name;
        t.normalized_how[i] = how;
        t.normalized_id[i] = id;
      } else if (f.extract &&
                 (how.presence || how.bare_text || how.values == ValueIndex::kText ||
                  how.values == ValueIndex::kKeyword || how.values == ValueIndex::kIp ||
                  how.values == ValueIndex::kInteger || how.values == ValueIndex::kBoolTrue)) {
        t.record.push_back({&f, how, id});
      }
    }
    return t;
  }();
  return tables;
}

}  // namespace

struct TermCollector::FieldKeys {
  std::string name;
  internal::KeySet values{64};
  internal::KeySet tokens{64};  // folded multi-part tokens already expanded into runs
  bool present = false;
  bool empty() const { return !present && values.size() == 0; }
};

TermCollector::TermCollector() { fields_.resize(query::AllFields().size() + 1); }
TermCollector::~TermCollector() = default;

TermCollector::FieldKeys& TermCollector::ById(size_t id) {
  if (id >= fields_.size()) fields_.resize(id + 1);
  std::unique_ptr<FieldKeys>& f = fields_[id];
  if (!f) {
    f = std::make_unique<FieldKeys>();
    const std::span<const query::FieldDef> all = query::AllFields();
    f->name = id < all.size() ? std::string(all[id].name) : std::string(kTextField);
  }
  return *f;
}

TermCollector::FieldKeys& TermCollector::ByName(std::string_view field) {
  const std::span<const query::FieldDef> all = query::AllFields();
  for (size_t id = 0; id < all.size(); ++id) {
    if (all[id].name == field) return ById(id);
  }
  if (field == kTextField) return ById(all.size());
  for (size_t id = all.size() + 1; id < fields_.size(); ++id) {
    if (fields_[id] && fields_[id]->name == field) return *fields_[id];
  }
  fields_.push_back(std::make_unique<FieldKeys>());
  fields_.back()->name = std::string(field);
  return *fields_.back();
}

void TermCollector::Add(std::string_view key) {
  const size_t sep = key.find_first_of(std::string_view("\0\1", 2));
  if (sep == std::string_view::npos) return;  // not a key
  FieldKeys& f = ByName(key.substr(0, sep));
  if (key[sep] == kPresenceMark) {
    if (sep + 1 == key.size()) f.present = true;
    return;
  }
  f.values.Insert(key.substr(sep + 1));
}

void TermCollector::AddFieldValue(std::string_view field, std::string_view value) {
  ByName(field).values.Insert(value);
}

void TermCollector::AddKeyword(std::string_view field, std::string_view value) {
  AddKeywordTo(ByName(field), value);
}

void TermCollector::AddKeywordTo(FieldKeys& f, std::string_view value) {
  if (value.size() > kMaxKeywordBytes) value = value.substr(0, kMaxKeywordBytes);
  scratch_.resize(value.size());
  for (size_t i = 0; i < value.size(); ++i) scratch_[i] = Fold(value[i]);
  f.values.Insert(scratch_);
}

void TermCollector::AddIp(std::string_view field, const query::IpAddress& ip) {
  ByName(field).values.Insert(
      std::string_view(reinterpret_cast<const char*>(ip.bytes.data()), ip.bytes.size()));
}

void TermCollector::AddInt(std::string_view field, int64_t v) {
  scratch_.clear();
  AppendIntBytes(v, &scratch_);
  ByName(field).values.Insert(scratch_);
}

void TermCollector::AddPresence(std::string_view field) { ByName(field).present = true; }

void TermCollector::AddTextRuns(std::string_view field, std::string_view text) {
  AddTextRunsTo(ByName(field), text);
}

// Tokens as query::Tokenizer cuts them: a maximal run of word bytes and joiners, without the
// joiners at its ends; its parts are its runs of word bytes.
void TermCollector::AddTextRunsTo(FieldKeys& f, std::string_view text) {
  const size_t n = text.size();
  size_t i = 0;
  for (;;) {
    while (i < n && Class(text[i]) != 2) ++i;
    if (i >= n) return;
    const size_t token_start = i;
    part_starts_.clear();
    part_ends_.clear();
    for (;;) {
      part_starts_.push_back(static_cast<uint32_t>(i - token_start));
      while (i < n && Class(text[i]) == 2) ++i;
      part_ends_.push_back(static_cast<uint32_t>(i - token_start));
      size_t j = i;
      while (j < n && Class(text[j]) == 1) ++j;
      if (j == i || j >= n || Class(text[j]) != 2) break;  // no joiner, or nothing after it
      i = j;
    }
    AddRuns(f, text.substr(token_start, part_ends_.back()));
  }
}

void TermCollector::AddRuns(FieldKeys& f, std::string_view token) {
  const size_t parts = part_starts_.size();
  scratch_.resize(token.size());
  for (size_t k = 0; k < token.size(); ++k) scratch_[k] = Fold(token[k]);
  const std::string_view folded(scratch_);
  if (parts == 1) {  // the run is the token
    f.values.Insert(folded.substr(0, kMaxTextRunBytes));
    return;
  }
  // Runs depend only on the field and the folded token: expand each token once per block.
  if (!f.tokens.Insert(folded)) return;
  for (size_t p = 0; p < parts; ++p) {
    const size_t start = part_starts_[p];
    const size_t last = std::min(parts, p + kMaxRunParts) - 1;
    for (size_t q = p; q <= last; ++q) {
      const size_t run = std::min<size_t>(part_ends_[q] - start, kMaxTextRunBytes);
      f.values.Insert(folded.substr(start, run));
      if (run == kMaxTextRunBytes) break;  // longer runs cut to the same key
    }
  }
}

size_t TermCollector::size() const {
  size_t n = 0;
  for (const std::unique_ptr<FieldKeys>& f : fields_) {
    if (f) n += f->values.size() + (f->present ? 1 : 0);
  }
  return n;
}

std::vector<std::string> TermCollector::Take() {
  std::vector<std::string> out;
  TakeInto(&out);
  return out;
}

void TermCollector::TakeInto(std::vector<std::string>* out) {
  out->resize(size());
  size_t n = 0;
  for (const std::unique_ptr<FieldKeys>& f : fields_) {
    if (!f || f->empty()) continue;
    auto put = [&](std::string_view v, char sep) {
      std::string& k = (*out)[n++];
      k.assign(f->name);
      k.push_back(sep);
      k.append(v);
    };
    f->values.ForEach([&](std::string_view v) { put(v, kValueSep); });
    if (f->present) put({}, kPresenceMark);
  }
  Clear();
}

void TermCollector::Clear() {
  for (const std::unique_ptr<FieldKeys>& f : fields_) {
    if (!f) continue;
    f->values.Clear();
    f->tokens.Clear();
    f->present = false;
  }
}

void AppendRecordTerms(const RecordView& record, const normalize::Event* event,
                       TermCollector* out) {
  using Keys = TermCollector::FieldKeys;
  const Tables& t = GetTables();
  Keys& text = out->ById(t.text_id);
  std::string& scratch = out->scratch_;
  for (const RecordField& f : t.record) {
    std::optional<query::FieldValue> v = f.def->extract(record);
    if (!v) continue;
    Keys& keys = out->ById(f.id);
    keys.present = keys.present || f.how.presence;
    switch (f.how.values) {
      case ValueIndex::kText:
        out->AddTextRunsTo(f.how.bare_text ? text : keys, v->text);
        break;
      case ValueIndex::kKeyword:
        out->AddKeywordTo(keys, v->text);
        if (f.how.bare_text) out->AddTextRunsTo(text, v->text);
        break;
      case ValueIndex::kIp:
        keys.values.Insert(std::string_view(reinterpret_cast<const char*>(v->ip.bytes.data()), 16));
        break;
      case ValueIndex::kInteger:
        scratch.clear();
        AppendIntBytes(v->number, &scratch);
        keys.values.Insert(scratch);
        break;
      case ValueIndex::kBoolTrue:
        if (v->boolean) keys.values.Insert("true");
        break;
      case ValueIndex::kNone:
        if (f.how.bare_text &&
            (f.def->type == query::FieldType::kText || f.def->type == query::FieldType::kKeyword)) {
          out->AddTextRunsTo(text, v->text);
        }
        break;
      case ValueIndex::kBlockTime:
      case ValueIndex::kBlockSeq:
        break;
    }
  }
  if (!event) return;
  for (const normalize::Event::Entry& e : event->entries()) {
    const auto i = static_cast<size_t>(e.field);
    const FieldIndexing& how = t.normalized_how[i];
    if (t.normalized_name[i].empty()) continue;
    Keys& keys = out->ById(t.normalized_id[i]);
    keys.present = keys.present || how.presence;
    const std::string_view value = event->Value(e);
    switch (how.values) {
      case ValueIndex::kText:
        out->AddTextRunsTo(how.bare_text ? text : keys, value);
        break;
      case ValueIndex::kKeyword:
        out->AddKeywordTo(keys, value);
        if (how.bare_text) out->AddTextRunsTo(text, value);
        break;
      case ValueIndex::kIp:
        if (std::optional<query::IpAddress> ip = query::ParseIpAddress(value)) {
          keys.values.Insert(std::string_view(reinterpret_cast<const char*>(ip->bytes.data()), 16));
        }
        break;
      case ValueIndex::kInteger: {
        int64_t n = 0;
        auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
        if (ec == std::errc() && end == value.data() + value.size()) {
          scratch.clear();
          AppendIntBytes(n, &scratch);
          keys.values.Insert(scratch);
        }
        break;
      }
      case ValueIndex::kBoolTrue:
        if (value == "true") keys.values.Insert("true");
        break;
      case ValueIndex::kNone:
      case ValueIndex::kBlockTime:
      case ValueIndex::kBlockSeq:
        break;
    }
  }
}

FieldIndexing IndexingOf(const query::FieldDef& field) {
  FieldIndexing how;
  how.bare_text = field.default_search;
  how.presence = !In(kAlwaysPresent, field.name);
  if (field.name == "@timestamp" || field.name == "event.created") {
    how.values = ValueIndex::kBlockTime;
    return how;
  }
  if (field.name == "kiroku.seq") {
    how.values = ValueIndex::kBlockSeq;
    return how;
  }
  if (In(kValuesNotIndexed, field.name)) return how;
  switch (field.type) {
    case query::FieldType::kText:
      how.values = ValueIndex::kText;
      break;
    case query::FieldType::kKeyword:
      how.values = ValueIndex::kKeyword;
      break;
    case query::FieldType::kIp:
      how.values = ValueIndex::kIp;
      break;
    case query::FieldType::kInteger:
      how.values = ValueIndex::kInteger;
      break;
    case query::FieldType::kBool:
      how.values = ValueIndex::kBoolTrue;
      break;
    case query::FieldType::kTime:  // a normalised time field (none yet): presence only
      break;
  }
  return how;
}

bool IsIndexed(const query::FieldDef& field) {
  return IndexingOf(field).values != ValueIndex::kNone;
}

std::string_view TextKeyField(const query::FieldDef& field) {
  return field.default_search ? kTextField : field.name;
}

std::string KeywordKey(std::string_view field, std::string_view folded_value) {
  std::string k(field);
  k.push_back(kValueSep);
  k.append(folded_value.substr(0, kMaxKeywordBytes));
  return k;
}

std::string TextKey(std::string_view field, std::string_view folded_run) {
  std::string k(field);
  k.push_back(kValueSep);
  k.append(folded_run.substr(0, kMaxTextRunBytes));
  return k;
}

std::string IpKey(std::string_view field, const query::IpAddress& ip) {
  std::string k(field);
  k.push_back(kValueSep);
  k.append(reinterpret_cast<const char*>(ip.bytes.data()), ip.bytes.size());
  return k;
}

std::string IntKey(std::string_view field, int64_t v) {
  std::string k(field);
  k.push_back(kValueSep);
  AppendIntBytes(v, &k);
  return k;
}

std::string PresenceKey(std::string_view field) {
  std::string k(field);
  k.push_back(kPresenceMark);
  return k;
}

void AppendIntBytes(int64_t v, std::string* out) {
  // Flipping the sign bit makes byte order equal numeric order for two's complement.
  uint64_t u = static_cast<uint64_t>(v) ^ (uint64_t{1} << 63);
  for (int shift = 56; shift >= 0; shift -= 8) out->push_back(static_cast<char>(u >> shift));
}

int64_t IntFromBytes(std::string_view eight) {
  uint64_t u = 0;
  for (size_t i = 0; i < 8 && i < eight.size(); ++i) {
    u = (u << 8) | static_cast<unsigned char>(eight[i]);
  }
  return static_cast<int64_t>(u ^ (uint64_t{1} << 63));
}

std::string NormalizeSettingsHash(std::string_view normalize_settings_json) {
  uint64_t h = 0xcbf29ce484222325ull;  // FNV-1a 64
  for (char c : normalize_settings_json) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ull;
  }
  char buf[17];
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = 15; i >= 0; --i) {
    buf[i] = kHex[h & 15];
    h >>= 4;
  }
  buf[16] = '\0';
  return std::string("fnv1a64:") + buf;
}

std::string IndexInfo(std::string_view normalize_settings_json) {
  nlohmann::json indexed = nlohmann::json::array();
  nlohmann::json not_indexed = nlohmann::json::array();
  for (const query::FieldDef& f : query::AllFields()) {
    (IsIndexed(f) ? indexed : not_indexed).push_back(std::string(f.name));
  }
  nlohmann::json j;
  j["version"] = kIndexVersion;
  j["text_field"] = std::string(kTextField);
  j["max_run_parts"] = kMaxRunParts;
  j["indexed"] = std::move(indexed);
  j["not_indexed"] = std::move(not_indexed);
  j["normalize_settings_hash"] = NormalizeSettingsHash(normalize_settings_json);
  return j.dump();
}

}  // namespace kiroku::index

namespace kiroku::index {

StatusOr<std::string> DataDirIndexInfo(Fs& fs, const std::string& data_dir) {
  StatusOr<std::string> text = fs.ReadFile(data_dir + "/normalize.json");
  if (text.ok()) return IndexInfo(*text);
  if (text.status().code() != Status::Code::kNotFound) return text.status();
  return IndexInfo(normalize::Settings().ToJson());
}

}  // namespace kiroku::index

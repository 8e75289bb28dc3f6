#include "engine/field_list.h"

#include <algorithm>

#include "query/format_json.h"

namespace kiroku::engine {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool EqualsFolded(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return (x | 0x20) == (y | 0x20);
         });
}

}  // namespace

StatusOr<std::vector<const query::FieldDef*>> ParseFieldList(std::string_view text,
                                                             std::string_view flag) {
  std::vector<const query::FieldDef*> out;
  std::string f(flag);
  while (true) {
    size_t comma = text.find(',');
    std::string_view name = Trim(text.substr(0, comma));
    if (name.empty()) return Status::InvalidArgument(f + ": empty field name");
    const query::FieldDef* def = query::FindField(name);
    if (!def) return Status::InvalidArgument(f + ": unknown field '" + std::string(name) + "'");
    if (std::find(out.begin(), out.end(), def) != out.end()) {
      return Status::InvalidArgument(f + ": field '" + std::string(name) + "' named twice");
    }
    out.push_back(def);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

StatusOr<std::vector<const query::FieldDef*>> ParseStatsSpec(std::string_view text) {
  text = Trim(text);
  auto word = [&](std::string_view w) {
    if (text.size() <= w.size() || !EqualsFolded(text.substr(0, w.size()), w) ||
        (text[w.size()] != ' ' && text[w.size()] != '\t')) {
      return false;
    }
    text = Trim(text.substr(w.size()));
    return true;
  };
  if (!word("count") || !word("by")) {
    return Status::InvalidArgument("--stats: expected 'count by FIELD[,FIELD...]'");
  }
  return ParseFieldList(text, "--stats");
}

bool AnyNormalized(const std::vector<const query::FieldDef*>& fields) {
  return std::any_of(fields.begin(), fields.end(),
                     [](const query::FieldDef* f) { return f->normalized.has_value(); });
}

bool IsListField(const query::FieldDef& f) {
  return f.normalized && normalize::Info(*f.normalized).list;
}

std::vector<std::string> FieldTexts(const query::FieldDef& f, const RecordView& r,
                                    const normalize::Event* event) {
  std::vector<std::string> out;
  query::ForEachValue(f, r, event, [&](const query::FieldValue& v) {
    std::string s;
    query::AppendFieldText(f.type, v, &s);
    out.push_back(std::move(s));
  });
  return out;
}

void AppendJsonValue(const query::FieldDef& f, std::string_view text, std::string* out) {
  if (f.type == query::FieldType::kInteger || f.type == query::FieldType::kBool) {
    out->append(text);  // AppendFieldText wrote a decimal number or true/false
  } else {
    query::AppendJsonString(text, out);
  }
}

}  // namespace kiroku::engine

#include "query/ast.h"

#include "query/time_arg.h"

namespace kiroku::query {
namespace {

std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string IntText(int64_t v, FieldType type) {
  return type == FieldType::kTime ? FormatRfc3339(v) : std::to_string(v);
}

std::string TermString(const Term& t) {
  std::string field = t.bare || t.fields.empty() ? "" : std::string(t.fields[0]->name);
  FieldType type = t.fields.empty() ? FieldType::kText : t.fields[0]->type;
  struct Visitor {
    const std::string& field;
    FieldType type;
    std::string operator()(const Exists&) const { return field + ":*"; }
    std::string operator()(const TextTest& x) const {
      std::string words;
      for (const std::string& term : x.pattern.terms) {
        if (!words.empty()) words.push_back(' ');
        words += term;
      }
      if (x.pattern.last_is_prefix) words.push_back('*');
      return field + "~" + Quote(words);
    }
    std::string operator()(const KeywordTest& x) const {
      return field + "=" + Quote(x.value) + (x.prefix ? "*" : "");
    }
    std::string operator()(const IntRangeTest& x) const {
      if (x.lo == x.hi) return field + "=" + IntText(x.lo, type);
      std::string lo = x.lo == INT64_MIN ? "*" : IntText(x.lo, type);
      std::string hi = x.hi == INT64_MAX ? "*" : IntText(x.hi, type);
      return field + ":[" + lo + " TO " + hi + "]";
    }
    std::string operator()(const IpRangeTest& x) const {
      if (x.lo == x.hi) return field + "=" + x.lo.ToString();
      return field + ":[" + x.lo.ToString() + " TO " + x.hi.ToString() + "]";
    }
    std::string operator()(const BoolTest& x) const {
      return field + (x.value ? "=true" : "=false");
    }
  };
  return std::visit(Visitor{field, type}, t.test);
}

}  // namespace

std::string ToString(const Node& node) {
  switch (node.kind) {
    case Node::Kind::kMatchAll:
      return "*";
    case Node::Kind::kTerm:
      return TermString(node.term);
    case Node::Kind::kAnd:
    case Node::Kind::kOr:
    case Node::Kind::kNot: {
      std::string out = node.kind == Node::Kind::kAnd  ? "(AND"
                        : node.kind == Node::Kind::kOr ? "(OR"
                                                       : "(NOT";
      for (const Node& c : node.children) out += " " + ToString(c);
      return out + ")";
    }
  }
  return "?";
}

}  // namespace kiroku::query

#include "query/evaluator.h"

namespace kiroku::query {
namespace {

struct ValueTest {
  const FieldValue& v;
  FieldType type;

  bool operator()(const Exists&) const { return true; }
  bool operator()(const TextTest& t) const { return MatchesText(v.text, t.pattern); }
  bool operator()(const KeywordTest& t) const {
    std::string ip_text;  // `10.0.*` on an IP field compares the address's text form
    std::string_view text = v.text;
    if (type == FieldType::kIp) {
      ip_text = v.ip.ToString();
      text = ip_text;
    }
    return t.prefix ? StartsWithFolded(text, t.value) : EqualsFolded(text, t.value);
  }
  bool operator()(const IntRangeTest& t) const { return t.lo <= v.number && v.number <= t.hi; }
  bool operator()(const IpRangeTest& t) const { return t.lo <= v.ip && v.ip <= t.hi; }
  bool operator()(const BoolTest& t) const { return v.boolean == t.value; }
};

bool MatchesTerm(const Term& term, const RecordView& r, const normalize::Event* event) {
  for (const FieldDef* f : term.fields) {
    bool hit = false;
    ForEachValue(*f, r, event, [&](const FieldValue& v) {
      hit = hit || std::visit(ValueTest{v, f->type}, term.test);
    });
    if (hit) return true;
  }
  return false;
}

}  // namespace

bool Matches(const Node& n, const RecordView& r, const normalize::Event* e) {
  switch (n.kind) {
    case Node::Kind::kMatchAll:
      return true;
    case Node::Kind::kTerm:
      return MatchesTerm(n.term, r, e);
    case Node::Kind::kAnd:
      for (const Node& c : n.children) {
        if (!Matches(c, r, e)) return false;
      }
      return true;
    case Node::Kind::kOr:
      for (const Node& c : n.children) {
        if (Matches(c, r, e)) return true;
      }
      return false;
    case Node::Kind::kNot:
      return !Matches(n.children[0], r, e);
  }
  return false;
}

bool UsesNormalizedFields(const Node& n) {
  if (n.kind == Node::Kind::kTerm) {
    for (const FieldDef* f : n.term.fields) {
      if (f->normalized) return true;
    }
    return false;
  }
  for (const Node& c : n.children) {
    if (UsesNormalizedFields(c)) return true;
  }
  return false;
}

}  // namespace kiroku::query

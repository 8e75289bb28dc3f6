#include "query/parser.h"

#include <charconv>
#include <optional>

#include "query/lexer.h"
#include "query/time_arg.h"
#include "query/tokenizer.h"

namespace kiroku::query {
namespace {

using Kind = Token::Kind;
using Mode = Lexer::Mode;

// Deep enough for any query a person writes; shallow enough that recursion (here and in the
// evaluator) cannot exhaust the stack.
constexpr int kMaxDepth = 100;

// The set of values one written value stands for, as a closed interval in the field's domain:
// 42 is [42, 42], 2026-11-26 is that whole day, 10.0.0.0/8 is 10.0.0.0 .. 10.255.255.255. All
// of =, <, <=, >, >= and [a TO b] are then the same few lines (ApplyBound).
template <typename T>
struct Interval {
  T lo;
  T hi;
};
using IntInterval = Interval<__int128>;          // integers and times
using IpInterval = Interval<unsigned __int128>;  // IP addresses

unsigned __int128 ToU128(const IpAddress& a) {
  unsigned __int128 v = 0;
  for (uint8_t b : a.bytes) v = (v << 8) | b;
  return v;
}

IpAddress FromU128(unsigned __int128 v) {
  IpAddress a;
  for (int i = 15; i >= 0; --i) {
    a.bytes[i] = static_cast<uint8_t>(v);
    v >>= 8;
  }
  return a;
}

bool IsRangeType(FieldType t) {
  return t == FieldType::kInteger || t == FieldType::kTime || t == FieldType::kIp;
}

std::string Quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

class Parser {
 public:
  Parser(std::string_view input, int64_t now_ns) : input_(input), lex_(input), now_ns_(now_ns) {}

  StatusOr<Node> Parse() {
    Node root;
    if (lex_.Peek(Mode::kTop).kind == Kind::kEnd) return root;  // empty: match all
    if (!ParseOr(nullptr, &root)) return error_;
    Token t = lex_.Next(Mode::kTop);
    if (t.kind == Kind::kEnd) return root;
    Fail(t.offset, t.kind == Kind::kRParen ? "unexpected ')'" : "unexpected input");
    return error_;
  }

 private:
  // Every Parse* returns false after recording the first error in error_.
  bool Fail(size_t offset, std::string_view message) {
    if (error_.ok()) {
      error_ = Status::InvalidArgument("query: column " + std::to_string(ColumnOf(input_, offset)) +
                                       ": " + std::string(message));
    }
    return false;
  }

  static Mode ModeFor(const FieldDef* scope) { return scope ? Mode::kValue : Mode::kTop; }

  // A term must follow an operator; say which one when it does not.
  bool ExpectTermAfter(const FieldDef* scope, std::string_view op) {
    Token t = lex_.Peek(ModeFor(scope));
    if (t.kind == Kind::kEnd || t.kind == Kind::kRParen || t.kind == Kind::kAnd ||
        t.kind == Kind::kOr) {
      return Fail(t.offset, "expected a term after " + std::string(op));
    }
    return true;
  }

  static bool StartsTerm(Kind k) {
    return k != Kind::kEnd && k != Kind::kRParen && k != Kind::kAnd && k != Kind::kOr &&
           k != Kind::kRangeClose;
  }

  // Several children of an AND or OR go into one n-ary node, so long chains stay shallow.
  static Node Combine(Node::Kind kind, std::vector<Node> children) {
    if (children.size() == 1) return std::move(children[0]);
    Node n;
    n.kind = kind;
    n.children = std::move(children);
    return n;
  }

  bool ParseOr(const FieldDef* scope, Node* out) {
    std::vector<Node> children(1);
    if (!ParseAnd(scope, &children.back())) return false;
    while (lex_.Peek(ModeFor(scope)).kind == Kind::kOr) {
      lex_.Next(ModeFor(scope));
      if (!ExpectTermAfter(scope, "OR")) return false;
      children.emplace_back();
      if (!ParseAnd(scope, &children.back())) return false;
    }
    *out = Combine(Node::Kind::kOr, std::move(children));
    return true;
  }

  bool ParseAnd(const FieldDef* scope, Node* out) {
    std::vector<Node> children(1);
    if (!ParseNot(scope, &children.back())) return false;
    for (;;) {
      Token t = lex_.Peek(ModeFor(scope));
      if (t.kind == Kind::kAnd) {
        lex_.Next(ModeFor(scope));
        if (!ExpectTermAfter(scope, "AND")) return false;
      } else if (!StartsTerm(t.kind)) {
        break;
      }
      children.emplace_back();
      if (!ParseNot(scope, &children.back())) return false;
    }
    *out = Combine(Node::Kind::kAnd, std::move(children));
    return true;
  }

  bool ParseNot(const FieldDef* scope, Node* out) {
    Token t = lex_.Peek(ModeFor(scope));
    if (t.kind != Kind::kNot) return ParsePrimary(scope, out);
    lex_.Next(ModeFor(scope));
    if (!ExpectTermAfter(scope, "NOT")) return false;
    if (++depth_ > kMaxDepth) return Fail(t.offset, "query nested too deeply");
    out->kind = Node::Kind::kNot;
    out->children.resize(1);
    bool ok = ParseNot(scope, &out->children[0]);
    --depth_;
    return ok;
  }

  bool ParseGroup(const FieldDef* scope, const Token& open, Node* out) {
    if (++depth_ > kMaxDepth) return Fail(open.offset, "query nested too deeply");
    if (lex_.Peek(ModeFor(scope)).kind == Kind::kRParen) {
      return Fail(lex_.Peek(ModeFor(scope)).offset, "expected a term inside '( )'");
    }
    if (!ParseOr(scope, out)) return false;
    Token close = lex_.Next(ModeFor(scope));
    if (close.kind != Kind::kRParen) return Fail(close.offset, "expected ')'");
    --depth_;
    return true;
  }

  bool ParsePrimary(const FieldDef* scope, Node* out) {
    Token t = lex_.Next(ModeFor(scope));
    switch (t.kind) {
      case Kind::kLParen:
        return ParseGroup(scope, t, out);
      case Kind::kError:
        return Fail(t.offset, t.text);
      case Kind::kEnd:
        return Fail(t.offset, "expected a term");
      case Kind::kRParen:
        return Fail(t.offset, "unexpected ')'");
      case Kind::kAnd:
      case Kind::kOr:
        return Fail(t.offset, "expected a term before " + t.text);
      case Kind::kField: {
        const FieldDef* f = FindField(t.text);
        if (!f) return UnknownField(t);
        return ParseFieldValue(f, t, out);
      }
      case Kind::kCompare:
        if (!scope) return Fail(t.offset, "expected a field name before '" + t.text + "'");
        return ParseComparison(scope, t, out);
      case Kind::kRangeOpen:
        return ParseRange(scope, t, out);
      case Kind::kWord:
      case Kind::kPhrase:
        if (scope) return MakeValueTerm(scope, t, out);
        if (t.kind == Kind::kWord && lex_.Peek(Mode::kTop).kind == Kind::kCompare) {
          const FieldDef* f = FindField(t.text);
          if (!f) return UnknownField(t);
          return ParseComparison(f, lex_.Next(Mode::kTop), out);
        }
        return MakeBareTerm(t, out);
      default:
        return Fail(t.offset, "unexpected input");
    }
  }

  bool UnknownField(const Token& t) {
    return Fail(t.offset, "unknown field " + Quoted(t.text) +
                              " (to search for text containing ':', put it in quotes)");
  }

  // After `field:`.
  bool ParseFieldValue(const FieldDef* f, const Token& field, Node* out) {
    Token t = lex_.Next(Mode::kValue);
    switch (t.kind) {
      case Kind::kLParen:
        return ParseGroup(f, t, out);
      case Kind::kCompare:
        return ParseComparison(f, t, out);
      case Kind::kRangeOpen:
        return ParseRange(f, t, out);
      case Kind::kWord:
      case Kind::kPhrase:
      case Kind::kAnd:  // `message:not` searches for the word "not"
      case Kind::kOr:
      case Kind::kNot:
        t.kind = t.kind == Kind::kPhrase ? Kind::kPhrase : Kind::kWord;
        return MakeValueTerm(f, t, out);
      case Kind::kError:
        return Fail(t.offset, t.text);
      default:
        return Fail(t.offset, "expected a value after '" + std::string(f->name) + ":'");
    }
  }

  bool MakeBareTerm(const Token& t, Node* out) {
    if (t.kind == Kind::kWord && t.wildcard && t.text.empty()) {
      out->kind = Node::Kind::kMatchAll;  // a lone `*`
      return true;
    }
    TextPattern pattern;
    if (!MakePattern(t, &pattern)) return false;
    out->kind = Node::Kind::kTerm;
    out->term.bare = true;
    for (const FieldDef& f : AllFields()) {
      if (f.default_search) out->term.fields.push_back(&f);
    }
    out->term.test = TextTest{std::move(pattern)};
    return true;
  }

  bool MakePattern(const Token& t, TextPattern* out) {
    bool prefix = t.kind == Kind::kWord && t.wildcard;
    out->terms = TokenizeFolded(t.text);
    if (prefix) {
      // The joiners just before '*' stay in the prefix: `10.0.*` must not match 10.01.2.3.
      size_t k = t.text.size();
      while (k > 0 && IsJoiner(t.text[k - 1])) --k;
      if (k == 0 || !IsWordByte(t.text[k - 1])) {
        return Fail(t.offset, "'*' must follow a letter or digit");
      }
      out->terms.back() += FoldAsciiString(t.text.substr(k));
      out->last_is_prefix = true;
    }
    if (out->terms.empty()) {
      return Fail(t.offset, "nothing to search for in " + Quoted(t.text) +
                                ": words are made of letters and digits");
    }
    return true;
  }

  // `field:value` (or a value inside `field:( ... )`).
  bool MakeValueTerm(const FieldDef* f, const Token& t, Node* out) {
    out->kind = Node::Kind::kTerm;
    out->term.fields = {f};
    bool prefix = t.kind == Kind::kWord && t.wildcard;
    if (prefix && t.text.empty()) {
      out->term.test = Exists{};
      return true;
    }
    switch (f->type) {
      case FieldType::kText: {
        TextPattern pattern;
        if (!MakePattern(t, &pattern)) return false;
        out->term.test = TextTest{std::move(pattern)};
        return true;
      }
      case FieldType::kKeyword:
        if (t.text.empty()) {
          return Fail(t.offset, "empty value; to find records without " + std::string(f->name) +
                                    " write NOT " + std::string(f->name) + ":*");
        }
        out->term.test = KeywordTest{FoldAsciiString(t.text), prefix};
        return true;
      case FieldType::kBool: {
        std::string v = FoldAsciiString(t.text);
        if (prefix || (v != "true" && v != "false")) {
          return Fail(t.offset, Quoted(t.text) + " is not true or false");
        }
        out->term.test = BoolTest{v == "true"};
        return true;
      }
      case FieldType::kIp:
        if (prefix) {  // `10.0.*` compares the text form, as Kibana users expect
          out->term.test = KeywordTest{FoldAsciiString(t.text), true};
          return true;
        }
        [[fallthrough]];
      case FieldType::kInteger:
      case FieldType::kTime:
        if (prefix) {
          return Fail(t.offset, "'*' needs a text, keyword or IP field; " + std::string(f->name) +
                                    " is " + std::string(FieldTypeName(f->type)) + ": use a range");
        }
        return MakeRangeTerm(f, t, true, t, true, out);
    }
    return Fail(t.offset, "unsupported field type");
  }

  bool CheckRangeType(const FieldDef* f, const Token& op, std::string_view what) {
    if (IsRangeType(f->type)) return true;
    return Fail(op.offset, std::string(what) + " needs an integer, time or IP field; " +
                               std::string(f->name) + " is " + std::string(FieldTypeName(f->type)));
  }

  // `field < value` and friends: one open end.
  bool ParseComparison(const FieldDef* f, const Token& op, Node* out) {
    if (!CheckRangeType(f, op, Quoted(op.text))) return false;
    Token v = lex_.Next(Mode::kValue);
    if ((v.kind != Kind::kWord && v.kind != Kind::kPhrase) || v.text.empty() || v.wildcard) {
      if (v.kind == Kind::kError) return Fail(v.offset, v.text);
      return Fail(v.offset, "expected a value after " + Quoted(op.text));
    }
    Token open;  // an open end: a bound written as `*`
    open.kind = Kind::kWord;
    open.wildcard = true;
    bool lower = op.text[0] == '>';
    bool inclusive = op.text.size() == 2;
    // x > v is x after all of v; x >= v is x from the start of v (see Interval).
    if (lower) return MakeRangeTerm(f, v, inclusive, open, true, out);
    return MakeRangeTerm(f, open, true, v, inclusive, out);
  }

  bool ParseRange(const FieldDef* f, const Token& open, Node* out) {
    if (!CheckRangeType(f, open, "a range")) return false;
    Token lo = lex_.Next(Mode::kRange);
    if (!IsBound(lo)) return Fail(lo.offset, "expected a lower bound after '['");
    Token to = lex_.Next(Mode::kRange);
    if (to.kind != Kind::kWord || to.wildcard || FoldAsciiString(to.text) != "to") {
      return Fail(to.offset, "expected 'TO'");
    }
    Token hi = lex_.Next(Mode::kRange);
    if (!IsBound(hi)) return Fail(hi.offset, "expected an upper bound after 'TO'");
    Token close = lex_.Next(Mode::kRange);
    if (close.kind != Kind::kRangeClose) return Fail(close.offset, "expected ']' or '}'");
    return MakeRangeTerm(f, lo, open.inclusive, hi, close.inclusive, out);
  }

  bool IsBound(const Token& t) {
    if (t.kind == Kind::kError) return false;
    if (t.kind == Kind::kPhrase) return true;
    return t.kind == Kind::kWord && (!t.wildcard || t.text.empty());
  }

  // A range from `lo` (a bound; inclusive or not) to `hi`; `*` bounds are open. For a single
  // value (field:value) lo and hi are the same token, both inclusive.
  bool MakeRangeTerm(const FieldDef* f, const Token& lo, bool lo_inclusive, const Token& hi,
                     bool hi_inclusive, Node* out) {
    out->kind = Node::Kind::kTerm;
    out->term.fields = {f};
    if (f->type == FieldType::kIp) {
      std::optional<IpInterval> a = IpBound(f, lo), b = IpBound(f, hi);
      if (!a || !b) return false;
      constexpr unsigned __int128 kMax = ~static_cast<unsigned __int128>(0);
      bool empty = false;
      unsigned __int128 from = a->lo, to = b->hi;
      if (!lo_inclusive) {
        if (a->hi == kMax) empty = true;
        from = a->hi + 1;
      }
      if (!hi_inclusive) {
        if (b->lo == 0) empty = true;
        to = b->lo - 1;
      }
      if (empty) from = kMax, to = 0;
      out->term.test = IpRangeTest{FromU128(from), FromU128(to)};
      return true;
    }
    std::optional<IntInterval> a = IntBound(f, lo), b = IntBound(f, hi);
    if (!a || !b) return false;
    __int128 from = lo_inclusive ? a->lo : a->hi + 1;
    __int128 to = hi_inclusive ? b->hi : b->lo - 1;
    IntRangeTest test;
    if (from > INT64_MAX || to < INT64_MIN || from > to) {
      test = {INT64_MAX, INT64_MIN};  // nothing
    } else {
      test = {static_cast<int64_t>(std::max<__int128>(from, INT64_MIN)),
              static_cast<int64_t>(std::min<__int128>(to, INT64_MAX))};
    }
    out->term.test = test;
    return true;
  }

  std::optional<IntInterval> IntBound(const FieldDef* f, const Token& t) {
    if (t.kind == Kind::kWord && t.wildcard && t.text.empty()) {
      return IntInterval{INT64_MIN, INT64_MAX};
    }
    if (f->type == FieldType::kTime) {
      StatusOr<TimeValue> v = ParseTimeValue(t.text, now_ns_);
      if (!v.ok()) {
        Fail(t.offset, v.status().message());
        return std::nullopt;
      }
      return IntInterval{v->ns, static_cast<__int128>(v->ns) + v->precision_ns - 1};
    }
    int64_t n = 0;
    const char* end = t.text.data() + t.text.size();
    auto [p, ec] = std::from_chars(t.text.data(), end, n);
    if (t.text.empty() || ec != std::errc() || p != end) {
      Fail(t.offset, Quoted(t.text) + " is not an integer (" + std::string(f->name) +
                         " is an integer field)");
      return std::nullopt;
    }
    return IntInterval{n, n};
  }

  std::optional<IpInterval> IpBound(const FieldDef* f, const Token& t) {
    if (t.kind == Kind::kWord && t.wildcard && t.text.empty()) {
      return IpInterval{0, ~static_cast<unsigned __int128>(0)};
    }
    if (std::optional<IpAddress> a = ParseIpAddress(t.text))
      return IpInterval{ToU128(*a), ToU128(*a)};
    if (std::optional<IpPrefix> p = ParseIpPrefix(t.text)) {
      unsigned __int128 base = ToU128(p->base);
      unsigned __int128 host = p->bits == 0
                                   ? ~static_cast<unsigned __int128>(0)
                                   : (static_cast<unsigned __int128>(1) << (128 - p->bits)) - 1;
      return IpInterval{base, base | host};
    }
    Fail(t.offset, Quoted(t.text) + " is not an IP address or CIDR prefix (" +
                       std::string(f->name) + " is an IP field)");
    return std::nullopt;
  }

  std::string_view input_;
  Lexer lex_;
  int64_t now_ns_;
  int depth_ = 0;
  Status error_;
};

}  // namespace

StatusOr<Node> ParseQuery(std::string_view query, int64_t now_ns) {
  return Parser(query, now_ns).Parse();
}

}  // namespace kiroku::query

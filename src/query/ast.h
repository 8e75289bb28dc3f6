// The parsed form of a query: a tree of AND / OR / NOT over terms, each term a test on one or
// more fields. The parser (parser.h) builds it with every value already checked and converted
// to its field's type, so evaluation (evaluator.h) never parses or fails, and the term index
// can later plan from the same tree.
//
//   StatusOr<Node> q = ParseQuery("host.name:web01 failed", now_ns);
//   std::string s = ToString(*q);   // (AND host.name="web01" ~"failed"), for tests and --explain
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "query/fields.h"
#include "query/ip_address.h"
#include "query/text_match.h"

namespace kiroku::query {

// field:* — the record has the field.
struct Exists {
  friend bool operator==(const Exists&, const Exists&) = default;
};

// Words, phrases and prefixes on text (tokenized) fields; bare words on every default field.
struct TextTest {
  TextPattern pattern;
  friend bool operator==(const TextTest&, const TextTest&) = default;
};

// A keyword field's whole value (or an IP's text form, for `10.0.*`); ASCII case-insensitive.
struct KeywordTest {
  std::string value;  // lower-cased
  bool prefix = false;
  friend bool operator==(const KeywordTest&, const KeywordTest&) = default;
};

// Integer and time fields: lo <= v <= hi. lo > hi matches nothing. Exact values, comparisons
// and [a TO b] all become this.
struct IntRangeTest {
  int64_t lo = INT64_MIN;
  int64_t hi = INT64_MAX;
  friend bool operator==(const IntRangeTest&, const IntRangeTest&) = default;
};

// IP fields: lo <= v <= hi on the 128-bit form. Exact addresses and CIDR prefixes become this.
struct IpRangeTest {
  IpAddress lo;
  IpAddress hi;
  friend bool operator==(const IpRangeTest&, const IpRangeTest&) = default;
};

struct BoolTest {
  bool value = false;
  friend bool operator==(const BoolTest&, const BoolTest&) = default;
};

using Test = std::variant<Exists, TextTest, KeywordTest, IntRangeTest, IpRangeTest, BoolTest>;

struct Term {
  // One field, or for bare words and phrases every field with default_search set (the term
  // matches when any of them does).
  std::vector<const FieldDef*> fields;
  bool bare = false;
  Test test;
};

struct Node {
  enum class Kind { kMatchAll, kTerm, kAnd, kOr, kNot };
  Kind kind = Kind::kMatchAll;
  Term term;                   // kTerm
  std::vector<Node> children;  // kAnd, kOr: two or more; kNot: exactly one
};

// A compact, unambiguous rendering: `*`, `message~"failed password"`, `~"root"` (bare),
// `host.name="web01"`, `host.name="web"*`, `process.pid=42`, `log.syslog.severity.code:[* TO 3]`,
// `@timestamp:[2026-11-26T00:00:00.000000000Z TO ...]`, `kiroku.truncated=true`, `message:*`,
// `(AND a b)`, `(OR a b)`, `(NOT a)`.
std::string ToString(const Node& node);

}  // namespace kiroku::query

// Small string helpers the device normalisers share: trimming, case-insensitive compares,
// cutting at a separator, integers, and a scanner for `key=value` lists (netfilter, FortiGate,
// Postfix, CEF extensions without escapes). Everything works on string_views into the record;
// nothing allocates.
//
//   KeyValueScanner kv("SRC=10.0.0.1 DST=10.0.0.2 PROTO=TCP", ' ', '=');
//   for (std::string_view k, v; kv.Next(&k, &v);) { ... }
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace kiroku::normalize {

inline bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view Trim(std::string_view s);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix);
// Position of `needle` in `s` ignoring ASCII case, or npos.
size_t FindIgnoreCase(std::string_view s, std::string_view needle);

// Splits at the first `sep`: Cut("a=b=c", '=') gives {"a", "b=c"}; nullopt without a sep.
struct CutResult {
  std::string_view before;
  std::string_view after;
};
std::optional<CutResult> Cut(std::string_view s, char sep);
std::optional<CutResult> Cut(std::string_view s, std::string_view sep);

// Decimal integer, optional leading '-', the whole string; nullopt on anything else or overflow.
std::optional<int64_t> ParseInt(std::string_view s);

// The text between `open` and the next `close` after it, e.g. Between("from=<a@b>", "<", ">").
std::optional<std::string_view> Between(std::string_view s, std::string_view open,
                                        std::string_view close);

// The value of `key=` in a list like "a=1, b=2" or "a=1 b=2": the text after "key=" up to the
// next `stop` byte (or the end). Only matches key at the start or after a blank, ',' or ';'.
std::optional<std::string_view> ValueAfter(std::string_view s, std::string_view key,
                                           std::string_view stops = " ,;");

// Reads `key<eq>value` pairs separated by `sep` (runs of blanks when sep is ' '). A value that
// starts with '"' runs to the next unescaped '"' and is returned without the quotes (escapes
// are left as written). A token without `eq` is skipped.
class KeyValueScanner {
 public:
  KeyValueScanner(std::string_view text, char sep, char eq) : text_(text), sep_(sep), eq_(eq) {}
  bool Next(std::string_view* key, std::string_view* value);

 private:
  std::string_view text_;
  size_t pos_ = 0;
  char sep_;
  char eq_;
};

// Cuts `s` at `sep` into fields, one at a time, honouring double quotes ("a,b" stays one
// field; the quotes are removed, "" inside is left as written). For CSV-like logs (PAN-OS).
class FieldSplitter {
 public:
  FieldSplitter(std::string_view text, char sep) : text_(text), sep_(sep) {}
  bool Next(std::string_view* field);

 private:
  std::string_view text_;
  size_t pos_ = 0;
  bool done_ = false;
  char sep_;
};

}  // namespace kiroku::normalize

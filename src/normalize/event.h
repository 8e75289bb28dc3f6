// Event: the normalised fields of one record, as a normaliser fills them.
//
// Values are copied into one arena string so that a reused Event allocates nothing in the steady
// state (the normalisers run at hundreds of thousands of records per second). Add() checks
// each value against its field's type: an IP field only takes an address, an integer field only
// a decimal number; a value that fails is dropped and counted in rejected(), never stored, so a
// line that only looks like a format cannot produce a wrong typed field.
//
//   Event e;
//   e.Add(Field::kSourceIp, "10.1.2.3");
//   e.Add(Field::kSourcePort, "bogus");          // dropped: rejected() == 1
//   std::string_view ip = e.Get(Field::kSourceIp);
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "normalize/schema.h"

namespace kiroku::normalize {

class Event {
 public:
  struct Entry {
    Field field;
    uint32_t off;
    uint32_t len;
  };

  void Clear() {
    entries_.clear();
    arena_.clear();
    rejected_ = 0;
  }
  bool empty() const { return entries_.empty(); }

  // Adds a value (trimmed of ASCII blanks). Empty values and "-" are ignored (logs write "-"
  // for "none"). For a field that is not a list, a second Add replaces the first value.
  // Returns false when the value was ignored or rejected.
  bool Add(Field f, std::string_view value);
  bool AddInt(Field f, int64_t value);
  // Adds the value in ASCII lower case (protocol names, methods, actions). Values longer than
  // 255 bytes are ignored: nothing that needs lower-casing is that long.
  bool AddLower(Field f, std::string_view value);
  bool AddBool(Field f, bool value) { return Add(f, value ? "true" : "false"); }
  // Adds to a list field unless the same value (ASCII case-insensitive) is already there.
  bool AddUnique(Field f, std::string_view value);
  // Removes every value of f.
  void Remove(Field f);

  bool Has(Field f) const;
  // The first value of f, or "" when it has none.
  std::string_view Get(Field f) const;
  template <typename Fn>  // Fn(std::string_view value)
  void ForEach(Field f, Fn&& fn) const {
    for (const Entry& e : entries_) {
      if (e.field == f) fn(std::string_view(arena_).substr(e.off, e.len));
    }
  }
  std::string_view Value(const Entry& e) const {
    return std::string_view(arena_).substr(e.off, e.len);
  }
  // In the order they were added.
  const std::vector<Entry>& entries() const { return entries_; }
  // Values dropped because they did not fit their field's type.
  int rejected() const { return rejected_; }

 private:
  std::vector<Entry> entries_;
  std::string arena_;
  int rejected_ = 0;
};

// The checks Event::Add applies, for parsers that want to test before they commit to a format.
bool IsIpText(std::string_view s);       // IPv4 dotted quad or IPv6 text (no zone, no brackets)
bool IsIntegerText(std::string_view s);  // optional '-', 1..19 digits

}  // namespace kiroku::normalize

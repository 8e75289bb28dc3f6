#include "normalize/text.h"

#include <charconv>

namespace kiroku::normalize {
namespace {
char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }
}  // namespace

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsBlank(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsBlank(s.back())) s.remove_suffix(1);
  return s;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && EqualsIgnoreCase(s.substr(0, prefix.size()), prefix);
}

size_t FindIgnoreCase(std::string_view s, std::string_view needle) {
  if (needle.empty()) return 0;
  for (size_t i = 0; i + needle.size() <= s.size(); ++i) {
    if (EqualsIgnoreCase(s.substr(i, needle.size()), needle)) return i;
  }
  return std::string_view::npos;
}

std::optional<CutResult> Cut(std::string_view s, char sep) {
  size_t p = s.find(sep);
  if (p == std::string_view::npos) return std::nullopt;
  return CutResult{s.substr(0, p), s.substr(p + 1)};
}

std::optional<CutResult> Cut(std::string_view s, std::string_view sep) {
  size_t p = s.find(sep);
  if (p == std::string_view::npos) return std::nullopt;
  return CutResult{s.substr(0, p), s.substr(p + sep.size())};
}

std::optional<int64_t> ParseInt(std::string_view s) {
  if (s.empty()) return std::nullopt;
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<std::string_view> Between(std::string_view s, std::string_view open,
                                        std::string_view close) {
  size_t a = s.find(open);
  if (a == std::string_view::npos) return std::nullopt;
  a += open.size();
  size_t b = s.find(close, a);
  if (b == std::string_view::npos) return std::nullopt;
  return s.substr(a, b - a);
}

std::optional<std::string_view> ValueAfter(std::string_view s, std::string_view key,
                                           std::string_view stops) {
  size_t from = 0;
  while (true) {
    size_t p = s.find(key, from);
    if (p == std::string_view::npos) return std::nullopt;
    bool at_start = p == 0 || IsBlank(s[p - 1]) || s[p - 1] == ',' || s[p - 1] == ';';
    size_t v = p + key.size();
    if (at_start && v < s.size() && s[v] == '=') {
      ++v;
      size_t e = s.find_first_of(stops, v);
      if (e == std::string_view::npos) e = s.size();
      return s.substr(v, e - v);
    }
    from = p + 1;
  }
}

bool KeyValueScanner::Next(std::string_view* key, std::string_view* value) {
  while (pos_ < text_.size()) {
    // Skip separators.
    while (pos_ < text_.size() && (text_[pos_] == sep_ || (sep_ == ' ' && IsBlank(text_[pos_])))) {
      ++pos_;
    }
    if (pos_ >= text_.size()) return false;
    size_t start = pos_;
    size_t eq = std::string_view::npos;
    while (pos_ < text_.size() && text_[pos_] != sep_ && !(sep_ == ' ' && IsBlank(text_[pos_]))) {
      if (text_[pos_] == eq_) {
        eq = pos_;
        break;
      }
      ++pos_;
    }
    if (eq == std::string_view::npos) {
      // A token without eq: skip it.
      while (pos_ < text_.size() && text_[pos_] != sep_ && !(sep_ == ' ' && IsBlank(text_[pos_]))) {
        ++pos_;
      }
      continue;
    }
    *key = text_.substr(start, eq - start);
    pos_ = eq + 1;
    if (pos_ < text_.size() && text_[pos_] == '"') {
      size_t vstart = ++pos_;
      while (pos_ < text_.size() && text_[pos_] != '"') {
        if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) ++pos_;
        ++pos_;
      }
      *value = text_.substr(vstart, pos_ - vstart);
      if (pos_ < text_.size()) ++pos_;  // closing quote
      return true;
    }
    size_t vstart = pos_;
    while (pos_ < text_.size() && text_[pos_] != sep_ && !(sep_ == ' ' && IsBlank(text_[pos_]))) {
      ++pos_;
    }
    *value = text_.substr(vstart, pos_ - vstart);
    return true;
  }
  return false;
}

bool FieldSplitter::Next(std::string_view* field) {
  if (done_) return false;
  if (pos_ < text_.size() && text_[pos_] == '"') {
    size_t start = ++pos_;
    while (pos_ < text_.size()) {
      if (text_[pos_] == '"') {
        if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
          pos_ += 2;
          continue;
        }
        break;
      }
      ++pos_;
    }
    *field = text_.substr(start, pos_ - start);
    if (pos_ < text_.size()) ++pos_;  // closing quote
    size_t sep = text_.find(sep_, pos_);
    if (sep == std::string_view::npos) {
      done_ = true;
    } else {
      pos_ = sep + 1;
    }
    return true;
  }
  size_t sep = text_.find(sep_, pos_);
  if (sep == std::string_view::npos) {
    *field = text_.substr(pos_);
    done_ = true;
  } else {
    *field = text_.substr(pos_, sep - pos_);
    pos_ = sep + 1;
  }
  return true;
}

}  // namespace kiroku::normalize

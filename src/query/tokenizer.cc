#include "query/tokenizer.h"

namespace kiroku::query {

bool Tokenizer::Next(std::string_view* token) {
  // A token starts and ends on a word byte; joiners count only between word bytes.
  while (pos_ < text_.size() && !IsWordByte(text_[pos_])) ++pos_;
  if (pos_ >= text_.size()) return false;
  size_t start = pos_;
  size_t last_word_end = pos_;
  while (pos_ < text_.size()) {
    char c = text_[pos_];
    if (IsWordByte(c)) {
      last_word_end = ++pos_;
    } else if (IsJoiner(c)) {
      ++pos_;
    } else {
      break;
    }
  }
  *token = text_.substr(start, last_word_end - start);
  pos_ = last_word_end;
  return true;
}

std::string FoldAsciiString(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = FoldAscii(c);
  return out;
}

std::vector<std::string> TokenizeFolded(std::string_view text) {
  std::vector<std::string> out;
  Tokenizer t(text);
  for (std::string_view tok; t.Next(&tok);) out.push_back(FoldAsciiString(tok));
  return out;
}

}  // namespace kiroku::query

#include "normalize/event.h"

#include <arpa/inet.h>

#include <array>
#include <cstring>

#include "normalize/text.h"

namespace kiroku::normalize {

bool IsIpText(std::string_view s) {
  if (s.empty() || s.size() > 45) return false;
  std::array<char, 46> buf{};
  std::memcpy(buf.data(), s.data(), s.size());
  std::array<unsigned char, 16> out{};
  if (s.find(':') != std::string_view::npos)
    return inet_pton(AF_INET6, buf.data(), out.data()) == 1;
  return inet_pton(AF_INET, buf.data(), out.data()) == 1;
}

bool IsIntegerText(std::string_view s) {
  if (!s.empty() && s[0] == '-') s.remove_prefix(1);
  if (s.empty() || s.size() > 18) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool Event::Add(Field f, std::string_view value) {
  value = Trim(value);
  if (value.empty() || value == "-") return false;
  const FieldInfo& info = Info(f);
  bool valid = true;
  switch (info.type) {
    case ValueType::kIp:
      valid = IsIpText(value);
      break;
    case ValueType::kInteger:
      valid = IsIntegerText(value);
      break;
    case ValueType::kBool:
      valid = value == "true" || value == "false";
      break;
    case ValueType::kKeyword:
    case ValueType::kText:
      break;
  }
  if (!valid) {
    ++rejected_;
    return false;
  }
  if (!info.list) Remove(f);
  entries_.push_back(
      Entry{f, static_cast<uint32_t>(arena_.size()), static_cast<uint32_t>(value.size())});
  arena_.append(value);
  return true;
}

bool Event::AddInt(Field f, int64_t value) { return Add(f, std::to_string(value)); }

bool Event::AddLower(Field f, std::string_view value) {
  value = Trim(value);
  std::array<char, 255> buf;
  if (value.size() > buf.size()) return false;
  for (size_t i = 0; i < value.size(); ++i) {
    char c = value[i];
    buf[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
  }
  return Add(f, std::string_view(buf.data(), value.size()));
}

bool Event::AddUnique(Field f, std::string_view value) {
  value = Trim(value);
  bool seen = false;
  ForEach(f, [&](std::string_view v) { seen = seen || EqualsIgnoreCase(v, value); });
  if (seen) return false;
  return Add(f, value);
}

void Event::Remove(Field f) {
  std::erase_if(entries_, [f](const Entry& e) { return e.field == f; });
}

bool Event::Has(Field f) const {
  for (const Entry& e : entries_) {
    if (e.field == f) return true;
  }
  return false;
}

std::string_view Event::Get(Field f) const {
  for (const Entry& e : entries_) {
    if (e.field == f) return Value(e);
  }
  return {};
}

}  // namespace kiroku::normalize

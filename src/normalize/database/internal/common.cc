#include "normalize/database/internal/common.h"

#include <array>

#include "normalize/text.h"

namespace kiroku::normalize::internal {

void AddDatabaseBase(Event* out, std::string_view normalizer, std::string_view vendor,
                     std::string_view product) {
  out->Add(Field::kKirokuNormalizer, normalizer);
  out->Add(Field::kObserverType, "database");
  out->Add(Field::kObserverVendor, vendor);
  out->Add(Field::kObserverProduct, product);
  out->Add(Field::kEventCategory, "database");
}

bool AddKebab(Event* out, Field f, std::string_view value) {
  value = Trim(value);
  std::array<char, 64> buf;
  if (value.size() >= buf.size()) return false;
  for (size_t i = 0; i < value.size(); ++i) {
    char c = value[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    if (c == ' ' || c == '_') c = '-';
    buf[i] = c;
  }
  return out->Add(f, std::string_view(buf.data(), value.size()));
}

bool MatchesShape(std::string_view s, std::string_view shape) {
  if (s.size() < shape.size()) return false;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == 'd' ? !IsDigit(s[i]) : s[i] != shape[i]) return false;
  }
  return true;
}

bool AddSourceAddress(Event* out, std::string_view host) {
  if (IsIpText(host)) return out->Add(Field::kSourceIp, host);
  size_t colon = host.rfind(':');
  if (colon == std::string_view::npos || host.find(':') != colon) return false;
  std::string_view ip = host.substr(0, colon);
  std::string_view port = host.substr(colon + 1);
  if (!IsIpText(ip) || port.empty() || port.size() > 5 || !IsIntegerText(port)) return false;
  out->Add(Field::kSourceIp, ip);
  out->Add(Field::kSourcePort, port);
  return true;
}

}  // namespace kiroku::normalize::internal

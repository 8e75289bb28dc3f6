#include "normalize/mail/internal/mail_text.h"

#include "normalize/text.h"

namespace kiroku::normalize::internal {

void AddMailBase(std::string_view normalizer, std::string_view product, Event* out) {
  out->Add(Field::kKirokuNormalizer, normalizer);
  out->Add(Field::kObserverType, "mail");
  out->Add(Field::kObserverProduct, product);
  out->Add(Field::kEventCategory, "email");
}

bool ParseEndpoint(std::string_view s, Endpoint* out) {
  size_t open = s.find('[');
  if (open == std::string_view::npos) return false;
  size_t close = s.find(']', open);
  if (close == std::string_view::npos) return false;
  Endpoint ep;
  ep.host = s.substr(0, open);
  ep.ip = s.substr(open + 1, close - open - 1);
  std::string_view rest = s.substr(close + 1);
  if (!rest.empty()) {
    if (rest[0] != ':' || !IsIntegerText(rest.substr(1)) || rest[1] == '-') return false;
    ep.port = rest.substr(1);
  }
  if (ep.host.find_first_of(" []") != std::string_view::npos || !IsIpText(ep.ip)) return false;
  if (ep.host == "unknown") ep.host = {};
  *out = ep;
  return true;
}

void AddEndpoint(const Endpoint& ep, bool destination, Event* out) {
  out->Add(destination ? Field::kDestinationIp : Field::kSourceIp, ep.ip);
  if (!ep.port.empty())
    out->Add(destination ? Field::kDestinationPort : Field::kSourcePort, ep.port);
  if (destination && !ep.host.empty() && ep.host != ep.ip && !IsIpText(ep.host)) {
    out->Add(Field::kDestinationDomain, ep.host);
  }
}

bool AngleValue(std::string_view s, std::string_view key, std::string_view* value) {
  size_t from = 0;
  while (true) {
    size_t p = s.find(key, from);
    if (p == std::string_view::npos) return false;
    size_t v = p + key.size();
    bool at_start = p == 0 || IsBlank(s[p - 1]) || s[p - 1] == ',';
    if (at_start && v + 1 < s.size() && s[v] == '=' && s[v + 1] == '<') {
      size_t close = s.find('>', v + 2);
      if (close == std::string_view::npos) return false;
      *value = s.substr(v + 2, close - v - 2);
      return true;
    }
    from = p + 1;
  }
}

bool LooksLikeAddress(std::string_view s) {
  if (s.empty() || s.size() > 320) return false;
  for (char c : s) {
    if (IsBlank(c) || c == '<' || c == '>' || c == '[' || c == ']' || c == ',' || c == ';' ||
        c == '"' || static_cast<unsigned char>(c) < 0x20) {
      return false;
    }
  }
  return true;
}

}  // namespace kiroku::normalize::internal

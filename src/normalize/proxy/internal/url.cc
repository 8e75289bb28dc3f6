#include "normalize/proxy/internal/url.h"

#include <array>

#include "normalize/text.h"

namespace kiroku::normalize::internal {
namespace {

bool AllDigits(std::string_view s) {
  if (s.empty() || s.size() > 5) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool IsSchemeChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '-' || c == '.';
}

// "host", "host:port", "[v6]", "[v6]:port", "user@host:port".
bool SplitAuthority(std::string_view a, UrlParts* out) {
  size_t at = a.rfind('@');
  if (at != std::string_view::npos) a.remove_prefix(at + 1);
  if (a.empty()) return false;
  if (a.front() == '[') {
    size_t close = a.find(']');
    if (close == std::string_view::npos) return false;
    out->host = a.substr(1, close - 1);
    std::string_view rest = a.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':' || !AllDigits(rest.substr(1))) return false;
      out->port = rest.substr(1);
    }
    return !out->host.empty();
  }
  size_t colon = a.rfind(':');
  if (colon != std::string_view::npos) {
    // A bare IPv6 address has several colons and no brackets: no port then.
    if (a.find(':') != colon) {
      out->host = a;
      return true;
    }
    if (!AllDigits(a.substr(colon + 1))) return false;
    out->port = a.substr(colon + 1);
    a = a.substr(0, colon);
  }
  out->host = a;
  return !a.empty();
}

}  // namespace

bool SplitUrl(std::string_view target, UrlParts* out) {
  *out = UrlParts{};
  if (target.empty()) return false;
  for (char c : target) {
    if (IsBlank(c) || c == '"') return false;
  }
  if (target.front() == '/') {
    out->path = target.substr(0, target.find_first_of("?#"));
    return true;
  }
  size_t sep = target.find("://");
  if (sep != std::string_view::npos && sep > 0) {
    for (size_t i = 0; i < sep; ++i) {
      if (!IsSchemeChar(target[i])) return false;
    }
    std::string_view rest = target.substr(sep + 3);
    size_t end = rest.find_first_of("/?#");
    std::string_view auth = rest.substr(0, end);
    if (!SplitAuthority(auth, out)) return false;
    out->absolute = true;
    if (end != std::string_view::npos && rest[end] == '/') {
      std::string_view p = rest.substr(end);
      out->path = p.substr(0, p.find_first_of("?#"));
    }
    return true;
  }
  // CONNECT's authority form needs a port; anything else is not a request target we know.
  if (!SplitAuthority(target, out) || out->port.empty()) {
    *out = UrlParts{};
    return false;
  }
  out->authority = true;
  return true;
}

bool AddUrl(std::string_view target, Event* out, UrlParts* parts) {
  UrlParts local;
  UrlParts& u = parts != nullptr ? *parts : local;
  if (!SplitUrl(target, &u)) return false;
  if (u.absolute || u.authority) {
    out->Add(Field::kUrlFull, target);
    out->Add(Field::kUrlDomain, u.host);
    if (!u.port.empty()) out->Add(Field::kDestinationPort, u.port);
  }
  out->Add(Field::kUrlPath, u.path);
  return true;
}

}  // namespace kiroku::normalize::internal

#include "normalize/proxy/squid.h"

#include <array>
#include <string_view>

#include "normalize/proxy/internal/url.h"
#include "normalize/text.h"

namespace kiroku::normalize {
namespace {

using internal::AddUrl;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// "%ts.%03tu": seconds, a dot, exactly three digits.
bool IsSquidTime(std::string_view s) {
  size_t dot = s.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot > 12 || s.size() != dot + 4) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i != dot && !IsDigit(s[i])) return false;
  }
  return true;
}

bool IsUpperToken(std::string_view s) {
  if (s.empty() || s.size() > 32) return false;
  for (char c : s) {
    if (!((c >= 'A' && c <= 'Z') || c == '_' || c == '-' || IsDigit(c))) return false;
  }
  return true;
}

// Result codes are TCP_*, UDP_*, NONE*, TAG_NONE* (Squid 4+), ERR_* (Squid 2).
bool IsResultCode(std::string_view s) {
  return IsUpperToken(s) &&
         (s.starts_with("TCP_") || s.starts_with("UDP_") || s.starts_with("NONE") ||
          s.starts_with("TAG_NONE") || s.starts_with("ERR_"));
}

// Splits at runs of blanks into at most tokens.size() tokens; returns the count, or
// tokens.size() + 1 when there were more.
template <size_t N>
size_t Tokens(std::string_view s, std::array<std::string_view, N>* tokens) {
  size_t n = 0;
  size_t i = 0;
  while (true) {
    while (i < s.size() && IsBlank(s[i])) ++i;
    if (i >= s.size()) return n;
    size_t start = i;
    while (i < s.size() && !IsBlank(s[i])) ++i;
    if (n == N) return N + 1;
    (*tokens)[n++] = s.substr(start, i - start);
  }
}

}  // namespace

bool NormalizeSquid(const Input& in, const Config& config, Event* out) {
  std::string_view msg = Trim(in.message);
  if (msg.empty() || !IsDigit(msg.front())) return false;
  // Ten fields, but the user (%[un) may hold a blank: take seven from the left, two from the
  // right, and the user is what is between.
  std::array<std::string_view, 16> t;
  size_t n = Tokens(msg, &t);
  if (n < 10 || n > t.size()) return false;
  if (!IsSquidTime(t[0]) || !IsIntegerText(t[1])) return false;
  auto code_status = Cut(t[3], '/');
  if (!code_status || !IsResultCode(code_status->before)) return false;
  std::string_view status = code_status->after;
  if (status.size() != 3 || !IsIntegerText(status)) return false;
  if (!IsIntegerText(t[4]) || !IsUpperToken(t[5])) return false;
  std::string_view hier = t[n - 2];
  auto hier_peer = Cut(hier, '/');
  if (!hier_peer || !IsUpperToken(hier_peer->before)) return false;

  const std::string_view client = t[2];
  std::string_view user = Trim(msg.substr(t[7].data() - msg.data(), (hier.data() - t[7].data())));
  std::string_view code = code_status->before;
  int64_t status_code = *ParseInt(status);

  out->Add(Field::kKirokuNormalizer, "squid");
  out->Add(Field::kObserverType, "proxy");
  out->Add(Field::kObserverVendor, "squid");
  out->Add(Field::kObserverProduct, "squid");
  out->Add(Field::kEventCategory, "web");
  out->Add(Field::kNetworkProtocol, "http");
  out->AddLower(Field::kEventAction, code);
  bool failed =
      code.find("DENIED") != std::string_view::npos ||
      (code.find("NONE") != std::string_view::npos && (status_code == 0 || status_code >= 400));
  out->Add(Field::kEventOutcome, failed ? "failure" : "success");
  if (IsIpText(client)) out->Add(Field::kSourceIp, client);
  out->Add(Field::kUserName, user);
  // Squid writes NONE for a request it could not parse: not a method.
  if (t[5] != "NONE") out->Add(Field::kHttpRequestMethod, t[5]);
  AddUrl(t[6], out);
  if (status_code != 0) out->AddInt(Field::kHttpResponseStatusCode, status_code);
  out->Add(Field::kHttpResponseBytes, t[4]);
  if (IsIpText(hier_peer->after)) {
    out->Add(Field::kDestinationIp, hier_peer->after);
    if (IsIpText(client)) {
      out->Add(Field::kNetworkDirection, config.Direction(client, hier_peer->after));
    }
  }
  return true;
}

}  // namespace kiroku::normalize

#include "normalize/proxy/clf.h"

#include <optional>
#include <string_view>

#include "normalize/proxy/internal/url.h"
#include "normalize/text.h"

namespace kiroku::normalize {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Takes the next blank-separated token off `s`.
std::string_view NextToken(std::string_view* s) {
  size_t i = 0;
  while (i < s->size() && IsBlank((*s)[i])) ++i;
  size_t start = i;
  while (i < s->size() && !IsBlank((*s)[i])) ++i;
  std::string_view t = s->substr(start, i - start);
  s->remove_prefix(i);
  return t;
}

// Takes a "..." string off `s` (after blanks), honouring \" escapes (Apache escapes quotes in
// the request and headers). nullopt when `s` does not start with a quote or it is not closed.
std::optional<std::string_view> NextQuoted(std::string_view* s) {
  size_t i = 0;
  while (i < s->size() && IsBlank((*s)[i])) ++i;
  if (i >= s->size() || (*s)[i] != '"') return std::nullopt;
  size_t start = ++i;
  while (i < s->size() && (*s)[i] != '"') {
    if ((*s)[i] == '\\' && i + 1 < s->size()) ++i;
    ++i;
  }
  if (i >= s->size()) return std::nullopt;
  std::string_view q = s->substr(start, i - start);
  s->remove_prefix(i + 1);
  return q;
}

// "26/Nov/2026:14:37:42 +0000": only the shape is checked; the time is the header's business.
bool IsClfDate(std::string_view d) {
  if (d.size() != 26 || d[2] != '/' || d[6] != '/' || d[11] != ':' || d[20] != ' ') return false;
  return IsDigit(d[0]) && IsDigit(d[1]) && IsDigit(d[7]) && IsDigit(d[10]) &&
         (d[21] == '+' || d[21] == '-');
}

bool IsMethod(std::string_view m) {
  if (m.empty() || m.size() > 20) return false;
  for (char c : m) {
    if (!((c >= 'A' && c <= 'Z') || c == '-' || c == '_')) return false;
  }
  return true;
}

}  // namespace

bool NormalizeClf(const Input& in, const Config& config, Event* out) {
  std::string_view s = in.message;
  size_t open = s.find(" [");
  if (open == std::string_view::npos || open > 300) return false;
  std::string_view head = s.substr(0, open);
  s.remove_prefix(open + 2);
  size_t close = s.find(']');
  if (close == std::string_view::npos || !IsClfDate(s.substr(0, close))) return false;
  s.remove_prefix(close + 1);

  std::string_view client = NextToken(&head);
  std::string_view ident = NextToken(&head);
  std::string_view user = Trim(head);
  if (client.empty() || ident.empty() || user.empty()) return false;

  auto request = NextQuoted(&s);
  if (!request) return false;
  std::string_view status = NextToken(&s);
  std::string_view bytes = NextToken(&s);
  if (status.size() != 3 || !IsIntegerText(status)) return false;
  if (bytes != "-" && !IsIntegerText(bytes)) return false;

  // "METHOD target HTTP/x.y", "METHOD target" (HTTP/0.9), or "-" (no request: 408 timeouts).
  std::string_view method;
  std::string_view target;
  internal::UrlParts url;
  if (*request != "-") {
    std::string_view r = *request;
    method = NextToken(&r);
    target = NextToken(&r);
    std::string_view proto = NextToken(&r);
    if (!IsMethod(method) || !Trim(r).empty()) return false;
    if (!proto.empty() && !proto.starts_with("HTTP/")) return false;
    if (!internal::SplitUrl(target, &url)) return false;
  }

  // Combined: referrer and user agent; Squid then appends "%Ss:%Sh".
  std::optional<std::string_view> referrer = NextQuoted(&s);
  std::optional<std::string_view> agent;
  if (referrer) agent = NextQuoted(&s);
  std::string_view squid_codes = NextToken(&s);
  std::string_view squid_result;
  if (!squid_codes.empty()) {
    auto c = Cut(squid_codes, ':');
    if (c && (c->before.starts_with("TCP_") || c->before.starts_with("UDP_") ||
              c->before.starts_with("NONE") || c->before.starts_with("TAG_NONE"))) {
      squid_result = c->before;
    }
  }

  bool squid = !squid_result.empty() || EqualsIgnoreCase(in.app, "squid");
  bool apache =
      !squid && (EqualsIgnoreCase(in.app, "httpd") || EqualsIgnoreCase(in.app, "apache2") ||
                 EqualsIgnoreCase(in.app, "apache"));
  bool proxy = url.absolute || url.authority;

  out->Add(Field::kKirokuNormalizer, "clf");
  out->Add(Field::kObserverType, proxy ? "proxy" : "webserver");
  if (squid) {
    out->Add(Field::kObserverVendor, "squid");
    out->Add(Field::kObserverProduct, "squid");
  } else if (apache) {
    out->Add(Field::kObserverVendor, "apache");
    out->Add(Field::kObserverProduct, "httpd");
  }
  out->Add(Field::kEventCategory, "web");
  out->Add(Field::kNetworkProtocol, "http");
  if (!squid_result.empty()) {
    out->AddLower(Field::kEventAction, squid_result);
  } else {
    out->Add(Field::kEventAction, "access");
  }
  int64_t code = *ParseInt(status);
  bool denied = squid_result.find("DENIED") != std::string_view::npos;
  out->Add(Field::kEventOutcome, denied || code >= 400 ? "failure" : "success");
  if (IsIpText(client)) out->Add(Field::kSourceIp, client);
  out->Add(Field::kUserName, user);
  if (!method.empty()) {
    out->Add(Field::kHttpRequestMethod, method);
    internal::AddUrl(target, out);
  }
  if (code != 0) out->AddInt(Field::kHttpResponseStatusCode, code);
  out->Add(Field::kHttpResponseBytes, bytes);
  if (referrer) out->Add(Field::kHttpRequestReferrer, *referrer);
  if (agent) out->Add(Field::kUserAgentOriginal, *agent);
  (void)config;
  return true;
}

}  // namespace kiroku::normalize

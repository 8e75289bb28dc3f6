#include "normalize/proxy/w3c.h"

#include <array>
#include <span>
#include <string_view>

#include "normalize/proxy/internal/url.h"
#include "normalize/text.h"

namespace kiroku::normalize {
namespace {

// ProxySG's default "main" access log format (SGOS Access Logging guide).
constexpr std::array<std::string_view, 25> kMainFields = {"date",
                                                          "time",
                                                          "time-taken",
                                                          "c-ip",
                                                          "sc-status",
                                                          "s-action",
                                                          "sc-bytes",
                                                          "cs-bytes",
                                                          "cs-method",
                                                          "cs-uri-scheme",
                                                          "cs-host",
                                                          "cs-uri-port",
                                                          "cs-uri-path",
                                                          "cs-uri-query",
                                                          "cs-username",
                                                          "cs-auth-group",
                                                          "s-hierarchy",
                                                          "s-supplier-name",
                                                          "rs(Content-Type)",
                                                          "cs(Referer)",
                                                          "cs(User-Agent)",
                                                          "sc-filter-result",
                                                          "cs-categories",
                                                          "x-virus-id",
                                                          "s-ip"};

constexpr size_t kMaxColumns = 128;
using Columns = std::array<std::string_view, kMaxColumns>;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Blank-separated values; a value starting with '"' runs to the next '"' (quotes removed).
// Returns the count, or kMaxColumns + 1 when there are more.
size_t SplitValues(std::string_view s, Columns* out) {
  size_t n = 0;
  size_t i = 0;
  while (true) {
    while (i < s.size() && IsBlank(s[i])) ++i;
    if (i >= s.size()) return n;
    if (n == kMaxColumns) return kMaxColumns + 1;
    if (s[i] == '"') {
      size_t start = ++i;
      while (i < s.size() && s[i] != '"') ++i;
      (*out)[n++] = s.substr(start, i - start);
      if (i < s.size()) ++i;
      continue;
    }
    size_t start = i;
    while (i < s.size() && !IsBlank(s[i])) ++i;
    (*out)[n++] = s.substr(start, i - start);
  }
}

std::optional<std::string_view> Directive(std::string_view message, std::string_view name) {
  std::string_view m = Trim(message);
  if (!m.starts_with(name)) return std::nullopt;
  return Trim(m.substr(name.size()));
}

bool IsHttpScheme(std::string_view s) {
  return EqualsIgnoreCase(s, "http") || EqualsIgnoreCase(s, "https") || EqualsIgnoreCase(s, "ftp");
}

bool IsDefaultPort(std::string_view scheme, std::string_view port) {
  return (EqualsIgnoreCase(scheme, "http") && port == "80") ||
         (EqualsIgnoreCase(scheme, "https") && port == "443") ||
         (EqualsIgnoreCase(scheme, "ftp") && port == "21");
}

// Builds scheme://host[:port]path[?query] in `buf`; empty when it does not fit.
std::string_view BuildUrl(std::string_view scheme, std::string_view host, std::string_view port,
                          std::string_view path, std::string_view query,
                          std::array<char, 4096>* buf) {
  size_t n = 0;
  auto put = [&](std::string_view s) {
    if (n + s.size() > buf->size()) {
      n = buf->size() + 1;
      return;
    }
    for (char c : s) (*buf)[n++] = c;
  };
  put(scheme);
  put("://");
  put(host);
  if (!port.empty() && port != "-" && !IsDefaultPort(scheme, port)) {
    put(":");
    put(port);
  }
  if (path != "-") put(path);
  if (!query.empty() && query != "-") {
    if (query.front() != '?') put("?");
    put(query);
  }
  if (n > buf->size()) return {};
  return std::string_view(buf->data(), n);
}

bool Parse(std::span<const std::string_view> names, const Columns& v, size_t n,
           std::string_view software, const Config* config, Event* out) {
  if (n != names.size()) return false;
  std::string_view c_ip, method, scheme, host, port, path, query, stem, uri, status, action, filter,
      supplier, s_port;
  std::string_view user, referrer, agent, virus, sc_bytes, cs_bytes;
  bool proxy_columns = false;
  for (size_t i = 0; i < n; ++i) {
    std::string_view k = names[i];
    std::string_view x = v[i];
    if (k == "c-ip")
      c_ip = x;
    else if (k == "cs-method")
      method = x;
    else if (k == "cs-uri-scheme")
      scheme = x;
    else if (k == "cs-host")
      host = x;
    else if (k == "cs-uri-port")
      port = x;
    else if (k == "cs-uri-path")
      path = x;
    else if (k == "cs-uri-query")
      query = x;
    else if (k == "cs-uri-stem")
      stem = x;
    else if (k == "cs-uri")
      uri = x;
    else if (k == "sc-status")
      status = x;
    else if (k == "s-action")
      action = x;
    else if (k == "sc-filter-result")
      filter = x;
    else if (k == "s-supplier-name" || k == "s-supplier-ip") {
      if (IsIpText(x)) supplier = x;
    } else if (k == "s-port")
      s_port = x;
    else if (k == "cs-username")
      user = x;
    else if (k == "cs(Referer)")
      referrer = x;
    else if (k == "cs(User-Agent)")
      agent = x;
    else if (k == "x-virus-id")
      virus = x;
    else if (k == "sc-bytes")
      sc_bytes = x;
    else if (k == "cs-bytes")
      cs_bytes = x;
    if (k == "s-action" || k == "s-hierarchy" || k == "sc-filter-result" || k == "x-virus-id") {
      proxy_columns = true;
    }
  }
  if (!status.empty() && (status.size() != 3 || !IsIntegerText(status))) return false;
  if (!c_ip.empty() && c_ip != "-" && !IsIpText(c_ip)) return false;

  bool iis = software.starts_with("Microsoft Internet Information Services");
  bool sgos = software.starts_with("SGOS") || (software.empty() && proxy_columns);
  out->Add(Field::kKirokuNormalizer, "w3c");
  bool webserver = !proxy_columns && (iis || !stem.empty());
  out->Add(Field::kObserverType, webserver ? "webserver" : "proxy");
  if (iis) {
    out->Add(Field::kObserverVendor, "microsoft");
    out->Add(Field::kObserverProduct, "iis");
  } else if (sgos) {
    out->Add(Field::kObserverVendor, "bluecoat");
    out->Add(Field::kObserverProduct, "proxysg");
  }
  out->Add(Field::kEventCategory, "web");
  out->Add(Field::kNetworkProtocol, "http");
  if (!action.empty() && action != "-") {
    out->AddLower(Field::kEventAction, action);
  } else {
    out->Add(Field::kEventAction, "access");
  }
  int64_t code = status.empty() ? 0 : *ParseInt(status);
  if (EqualsIgnoreCase(filter, "DENIED") || action.find("DENIED") != std::string_view::npos) {
    out->Add(Field::kEventOutcome, "failure");
  } else if (!filter.empty() && filter != "-") {
    out->Add(Field::kEventOutcome, "success");
  } else if (code != 0) {
    out->Add(Field::kEventOutcome, code >= 400 ? "failure" : "success");
  }
  out->Add(Field::kSourceIp, c_ip);
  out->Add(Field::kUserName, user);
  out->Add(Field::kHttpRequestMethod, method);
  if (!uri.empty() && uri != "-") {
    internal::AddUrl(uri, out);
  } else {
    if (!host.empty() && host != "-") {
      out->Add(Field::kUrlDomain, host);
      if (IsHttpScheme(scheme)) {
        std::array<char, 4096> buf;
        out->Add(Field::kUrlFull,
                 BuildUrl(scheme, host, port, path.empty() ? stem : path, query, &buf));
      }
    }
    if (!path.empty() && path.front() == '/') out->Add(Field::kUrlPath, path);
    if (!stem.empty() && stem.front() == '/') out->Add(Field::kUrlPath, stem);
    if (IsIntegerText(port)) out->Add(Field::kDestinationPort, port);
  }
  if (!out->Has(Field::kDestinationPort) && IsIntegerText(s_port)) {
    out->Add(Field::kDestinationPort, s_port);
  }
  if (code != 0) out->AddInt(Field::kHttpResponseStatusCode, code);
  if (IsIntegerText(sc_bytes)) out->Add(Field::kHttpResponseBytes, sc_bytes);
  if (IsIntegerText(cs_bytes)) out->Add(Field::kSourceBytes, cs_bytes);
  out->Add(Field::kHttpRequestReferrer, referrer);
  out->Add(Field::kUserAgentOriginal, agent);
  if (!virus.empty() && virus != "-") out->Add(Field::kThreatSoftwareName, virus);
  if (!supplier.empty()) {
    out->Add(Field::kDestinationIp, supplier);
    if (config != nullptr && IsIpText(c_ip)) {
      out->Add(Field::kNetworkDirection, config->Direction(c_ip, supplier));
    }
  }
  return true;
}

}  // namespace

bool IsW3cDataLine(std::string_view m) {
  // "2026-11-26 14:37:42 "
  if (m.size() < 20) return false;
  static constexpr std::string_view kShape = "dddd-dd-dd dd:dd:dd ";
  for (size_t i = 0; i < kShape.size(); ++i) {
    if (kShape[i] == 'd' ? !IsDigit(m[i]) : m[i] != kShape[i]) return false;
  }
  return true;
}

std::optional<std::string_view> W3cFieldsDirective(std::string_view message) {
  return Directive(message, "#Fields:");
}

std::optional<std::string_view> W3cSoftwareDirective(std::string_view message) {
  return Directive(message, "#Software:");
}

bool NormalizeW3c(const Input& in, const Config& config, Event* out) {
  if (!IsW3cDataLine(in.message)) return false;
  Columns v;
  size_t n = SplitValues(in.message, &v);
  if (n != kMainFields.size()) return false;
  // The main format always has an address in c-ip; a line with 25 words that happens to start
  // with a date must not be read as one.
  if (!IsIpText(v[3])) return false;
  return Parse(kMainFields, v, n, "", &config, out);
}

bool ParseW3cLine(std::string_view line, std::string_view fields, std::string_view software,
                  const Config* config, Event* out) {
  if (!IsW3cDataLine(line)) return false;
  Columns names;
  size_t names_n = SplitValues(fields, &names);
  if (names_n > kMaxColumns) return false;
  Columns v;
  size_t n = SplitValues(line, &v);
  if (n != names_n) return false;
  return Parse(std::span<const std::string_view>(names.data(), names_n), v, n, software, config,
               out);
}

}  // namespace kiroku::normalize

#include "normalize/network/cef.h"

#include <array>
#include <optional>

#include "normalize/network/internal/flow.h"
#include "normalize/text.h"

namespace kiroku::normalize {
namespace internal {

std::string_view CefUnescape(std::string_view v, std::string* buf) {
  if (v.find('\\') == std::string_view::npos) return v;
  buf->clear();
  for (size_t i = 0; i < v.size(); ++i) {
    char c = v[i];
    if (c == '\\' && i + 1 < v.size()) {
      char n = v[++i];
      if (n == 'n') {
        c = '\n';
      } else if (n == 'r') {
        c = '\r';
      } else if (n == '\\' || n == '|' || n == '=') {
        c = n;
      } else {
        buf->push_back('\\');  // not an escape CEF defines: keep it as written
        c = n;
      }
    }
    buf->push_back(c);
  }
  return *buf;
}

}  // namespace internal

namespace {

using internal::CefUnescape;

struct Header {
  std::array<std::string_view, 7> f;  // version, vendor, product, version, class id, name, sev
  std::string_view extension;
};

bool EscapedAt(std::string_view s, size_t i) {
  size_t n = 0;
  while (i > n && s[i - n - 1] == '\\') ++n;
  return n % 2 == 1;
}

// The seven '|'-separated header fields; nullopt with fewer than seven unescaped pipes.
std::optional<Header> SplitHeader(std::string_view s) {
  Header h;
  size_t start = 0;
  for (size_t k = 0; k < 7; ++k) {
    size_t p = start;
    while (true) {
      p = s.find('|', p);
      if (p == std::string_view::npos) return std::nullopt;
      if (!EscapedAt(s, p)) break;
      ++p;
    }
    h.f[k] = s.substr(start, p - start);
    start = p + 1;
  }
  h.extension = s.substr(start);
  return h;
}

bool IsKeyChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-' || c == '[' || c == ']';
}

struct Pair {
  std::string_view key;
  std::string_view value;  // still escaped
};
constexpr size_t kMaxPairs = 128;

// Splits the extension into pairs: a key is a run of key characters after a blank (or at the
// start) followed by an unescaped '='; a value runs to the blank before the next key.
size_t SplitExtension(std::string_view ext, std::array<Pair, kMaxPairs>* pairs) {
  size_t n = 0;
  std::string_view key;
  size_t value_start = 0;
  bool open = false;
  for (size_t i = 0; i < ext.size(); ++i) {
    if (ext[i] != '=' || EscapedAt(ext, i)) continue;
    size_t j = i;
    while (j > 0 && IsKeyChar(ext[j - 1])) --j;
    if (j == i || (j > 0 && ext[j - 1] != ' ')) continue;  // '=' inside a value
    if (open && n < pairs->size()) {
      (*pairs)[n++] = {key, Trim(ext.substr(value_start, j - value_start))};
    }
    key = ext.substr(j, i - j);
    value_start = i + 1;
    open = true;
  }
  if (open && n < pairs->size()) (*pairs)[n++] = {key, Trim(ext.substr(value_start))};
  return n;
}

// Action words vendors write, as kiroku's verbs.
struct ActWord {
  std::string_view word;
  std::string_view action;
  std::string_view outcome;
};
constexpr std::array<ActWord, 22> kActs = {{
    {"allow", "allow", "success"},
    {"allowed", "allow", "success"},
    {"accept", "allow", "success"},
    {"accepted", "allow", "success"},
    {"permit", "allow", "success"},
    {"permitted", "allow", "success"},
    {"pass", "allow", "success"},
    {"deny", "deny", "failure"},
    {"denied", "deny", "failure"},
    {"block", "deny", "failure"},
    {"blocked", "deny", "failure"},
    {"drop", "deny", "failure"},
    {"dropped", "deny", "failure"},
    {"reject", "reject", "failure"},
    {"quarantine", "quarantine", ""},
    {"file quarantined", "quarantine", ""},
    {"clean", "clean", ""},
    {"file cleaned", "clean", ""},
    {"delete", "delete", ""},
    {"file deleted", "delete", ""},
    {"deny access", "deny-access", ""},
    {"file renamed", "rename", ""},
}};

// Is this a Trend Micro anti-malware event? Deep Security: class ids 4000000..4000099; Apex
// One / Apex Central / OfficeScan / Control Manager: class ids "AV:<action>".
bool IsTrendAntiMalware(const Header& h) {
  std::string_view vendor = h.f[1];
  if (!StartsWithIgnoreCase(vendor, "Trend")) return false;
  std::string_view id = h.f[4];
  if (h.f[2].find("Deep Security") != std::string_view::npos) {
    return id.size() == 7 && id.starts_with("40000") && IsIntegerText(id);
  }
  return id.starts_with("AV:");
}

}  // namespace

bool NormalizeCef(const Input& in, const Config& config, Event* out) {
  std::string_view m = in.message;
  std::string_view body;
  size_t p = m.substr(0, 256).find("CEF:");
  if (p != std::string_view::npos && (p == 0 || m[p - 1] == ' ')) {
    body = m.substr(p + 4);
  } else if (in.app == "CEF" && !m.empty() && m[0] >= '0' && m[0] <= '9') {
    body = m;  // "CEF: 0|..." (FortiOS): the syslog parser took "CEF" for the tag
  } else {
    return false;
  }
  body = Trim(body);
  std::optional<Header> h = SplitHeader(body);
  if (!h || !IsIntegerText(Trim(h->f[0])) || h->f[1].empty() || h->f[2].empty()) return false;

  thread_local std::string buf;
  auto add = [&](Field f, std::string_view raw) { out->Add(f, CefUnescape(raw, &buf)); };

  std::array<Pair, kMaxPairs> pairs;
  size_t n = SplitExtension(h->extension, &pairs);
  auto label_of = [&](std::string_view key) -> std::string_view {
    for (size_t i = 0; i < n; ++i) {
      const Pair& q = pairs[i];
      if (q.key.size() == key.size() + 5 && q.key.starts_with(key) && q.key.ends_with("Label")) {
        return q.value;
      }
    }
    return {};
  };

  bool av = IsTrendAntiMalware(*h);
  std::string_view name = h->f[5];
  out->Add(Field::kKirokuNormalizer, "cef");
  if (av) out->Add(Field::kObserverType, "antivirus");
  add(Field::kObserverVendor, h->f[1]);
  add(Field::kObserverProduct, h->f[2]);
  add(Field::kEventCode, h->f[4]);
  if (av) {
    out->Add(Field::kEventCategory, "malware");
    add(Field::kThreatSoftwareName, name);
  }

  std::string_view src, dst;
  bool has_direction = false;
  for (size_t i = 0; i < n; ++i) {
    std::string_view k = pairs[i].key;
    std::string_view v = pairs[i].value;
    if (k == "src" || k == "c6a2") {
      src = v;
      if (IsIpText(v)) out->Add(Field::kSourceIp, v);
    } else if (k == "dst" || k == "c6a3") {
      dst = v;
      if (IsIpText(v)) out->Add(Field::kDestinationIp, v);
    } else if (k == "spt") {
      if (internal::IsPort(v)) out->Add(Field::kSourcePort, v);
    } else if (k == "dpt") {
      if (internal::IsPort(v)) out->Add(Field::kDestinationPort, v);
    } else if (k == "proto") {
      internal::AddTransport(out, v);
    } else if (k == "sourceTranslatedAddress") {
      if (IsIpText(v)) out->Add(Field::kSourceNatIp, v);
    } else if (k == "act") {
      std::string_view a = CefUnescape(v, &buf);
      const ActWord* hit = nullptr;
      for (const ActWord& w : kActs) {
        if (EqualsIgnoreCase(a, w.word)) hit = &w;
      }
      if (hit) {
        out->Add(Field::kEventAction, hit->action);
        if (!av && !out->Has(Field::kEventOutcome)) out->Add(Field::kEventOutcome, hit->outcome);
      } else {
        internal::AddAction(out, a);
      }
    } else if (k == "outcome") {
      std::string_view o = Trim(v);
      if (!o.empty() && o[0] == '/') o.remove_prefix(1);
      if (EqualsIgnoreCase(o, "success")) out->Add(Field::kEventOutcome, "success");
      if (EqualsIgnoreCase(o, "failure")) out->Add(Field::kEventOutcome, "failure");
    } else if (k == "suser") {
      add(Field::kUserName, v);
    } else if (k == "duser") {
      // An anti-malware event's duser is the endpoint's user, not a target account.
      add(av ? Field::kUserName : Field::kUserTargetName, v);
    } else if (k == "dhost") {
      if (!av) add(Field::kDestinationDomain, v);
    } else if (k == "request") {
      add(Field::kUrlFull, v);
    } else if (k == "requestMethod") {
      add(Field::kHttpRequestMethod, v);
    } else if (k == "fname") {
      add(Field::kFileName, v);
    } else if (k == "filePath") {
      add(Field::kFilePath, v);
    } else if (k == "deviceDirection") {
      if (v == "0") out->Add(Field::kNetworkDirection, "inbound");
      if (v == "1") out->Add(Field::kNetworkDirection, "outbound");
      has_direction = v == "0" || v == "1";
    } else if (k == "in") {
      if (IsIntegerText(v)) out->Add(Field::kSourceBytes, v);
    } else if (k == "out") {
      if (IsIntegerText(v)) out->Add(Field::kDestinationBytes, v);
    } else if (k == "msg" || k == "reason") {
      add(Field::kEventReason, v);
    } else if (k.size() == 3 && k.starts_with("cs") && k[2] >= '1' && k[2] <= '6') {
      std::string_view label = label_of(k);
      if (FindIgnoreCase(label, "rule") != std::string_view::npos ||
          FindIgnoreCase(label, "policy") != std::string_view::npos) {
        add(Field::kRuleName, v);
      } else if (FindIgnoreCase(label, "virus name") != std::string_view::npos ||
                 FindIgnoreCase(label, "malware name") != std::string_view::npos ||
                 FindIgnoreCase(label, "threat name") != std::string_view::npos ||
                 FindIgnoreCase(label, "risk name") != std::string_view::npos) {
        add(Field::kThreatSoftwareName, v);
      }
    }
  }
  if (!av && (out->Has(Field::kSourceIp) || out->Has(Field::kDestinationIp))) {
    out->Add(Field::kEventCategory, "network");
  }
  if (!has_direction && IsIpText(src) && IsIpText(dst)) {
    out->Add(Field::kNetworkDirection, config.Direction(src, dst));
  }
  return true;
}

}  // namespace kiroku::normalize

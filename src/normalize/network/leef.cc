#include "normalize/network/leef.h"

#include <array>
#include <optional>

#include "normalize/network/internal/flow.h"
#include "normalize/text.h"

namespace kiroku::normalize {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// LEEF 2.0's delimiter field: "^", "x5E" or "0x5E"; nullopt when `f` is not one.
std::optional<char> Delimiter(std::string_view f) {
  if (f.size() == 1 && f[0] != '=') return f[0];
  if (f.starts_with("0x") || f.starts_with("0X")) f.remove_prefix(1);
  if ((f.size() == 2 || f.size() == 3) && (f[0] == 'x' || f[0] == 'X')) {
    int v = 0;
    for (char c : f.substr(1)) {
      int d = HexDigit(c);
      if (d < 0) return std::nullopt;
      v = v * 16 + d;
    }
    if (v > 0 && v < 128 && v != '=') return static_cast<char>(v);
  }
  return std::nullopt;
}

}  // namespace

bool NormalizeLeef(const Input& in, const Config& config, Event* out) {
  std::string_view m = in.message;
  size_t p = m.substr(0, 256).find("LEEF:");
  if (p == std::string_view::npos || (p > 0 && m[p - 1] != ' ')) return false;
  std::string_view s = m.substr(p + 5);
  // Version|Vendor|Product|Version|EventID| — LEEF has no escapes in its header.
  std::array<std::string_view, 5> h{};
  for (std::string_view& f : h) {
    std::optional<CutResult> c = Cut(s, '|');
    if (!c) return false;
    f = c->before;
    s = c->after;
  }
  bool v2 = h[0] == "2.0";
  if (!v2 && h[0] != "1.0") return false;
  if (h[1].empty() || h[2].empty()) return false;
  char sep = '\t';
  if (v2) {
    if (std::optional<CutResult> c = Cut(s, '|')) {
      if (std::optional<char> d = Delimiter(c->before)) {
        sep = *d;
        s = c->after;
      } else if (c->before.empty()) {
        s = c->after;  // "||": an empty delimiter field, tab is the default
      }
    }
  }

  out->Add(Field::kKirokuNormalizer, "leef");
  out->Add(Field::kObserverVendor, h[1]);
  out->Add(Field::kObserverProduct, h[2]);
  out->Add(Field::kEventCode, h[4]);

  std::string_view src, dst;
  KeyValueScanner kv(s, sep, '=');
  for (std::string_view k, v; kv.Next(&k, &v);) {
    k = Trim(k);
    if (k == "src") {
      src = v;
      if (IsIpText(v)) out->Add(Field::kSourceIp, v);
    } else if (k == "dst") {
      dst = v;
      if (IsIpText(v)) out->Add(Field::kDestinationIp, v);
    } else if (k == "srcPort") {
      if (internal::IsPort(v)) out->Add(Field::kSourcePort, v);
    } else if (k == "dstPort") {
      if (internal::IsPort(v)) out->Add(Field::kDestinationPort, v);
    } else if (k == "srcPostNAT") {
      if (IsIpText(v)) out->Add(Field::kSourceNatIp, v);
    } else if (k == "proto") {
      internal::AddTransport(out, v);
    } else if (k == "usrName") {
      internal::AddUser(out, v);
    } else if (k == "srcBytes") {
      if (IsIntegerText(v)) out->Add(Field::kSourceBytes, v);
    } else if (k == "dstBytes") {
      if (IsIntegerText(v)) out->Add(Field::kDestinationBytes, v);
    } else if (k == "totalBytes") {
      if (IsIntegerText(v)) out->Add(Field::kNetworkBytes, v);
    } else if (k == "url") {
      out->Add(Field::kUrlFull, v);
    } else if (k == "action") {
      std::string_view a = Trim(v);
      if (EqualsIgnoreCase(a, "allow") || EqualsIgnoreCase(a, "allowed") ||
          EqualsIgnoreCase(a, "accept") || EqualsIgnoreCase(a, "permit")) {
        out->Add(Field::kEventAction, "allow");
        out->Add(Field::kEventOutcome, "success");
      } else if (EqualsIgnoreCase(a, "deny") || EqualsIgnoreCase(a, "denied") ||
                 EqualsIgnoreCase(a, "block") || EqualsIgnoreCase(a, "blocked") ||
                 EqualsIgnoreCase(a, "drop") || EqualsIgnoreCase(a, "dropped")) {
        out->Add(Field::kEventAction, "deny");
        out->Add(Field::kEventOutcome, "failure");
      } else {
        internal::AddAction(out, a);
      }
    } else if (k == "policy" || k == "rule" || k == "policyName" || k == "ruleName") {
      out->Add(Field::kRuleName, v);
    }
  }
  if (out->Has(Field::kSourceIp) || out->Has(Field::kDestinationIp)) {
    out->Add(Field::kEventCategory, "network");
  }
  if (IsIpText(src) && IsIpText(dst)) {
    out->Add(Field::kNetworkDirection, config.Direction(src, dst));
  }
  return true;
}

}  // namespace kiroku::normalize

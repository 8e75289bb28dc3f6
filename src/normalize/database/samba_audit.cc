#include "normalize/database/samba_audit.h"

#include <array>
#include <string_view>

#include "normalize/text.h"

namespace kiroku::normalize {
namespace {

// VFS operation names: lower case, digits, '_'.
bool IsOperation(std::string_view s) {
  if (s.empty() || s.size() > 40) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

bool IsResult(std::string_view s) { return s == "ok" || s == "fail" || s.starts_with("fail ("); }

}  // namespace

bool NormalizeSambaAudit(const Input& in, const Config& config, Event* out) {
  (void)config;
  if (!StartsWithIgnoreCase(in.app, "smbd")) return false;
  std::string_view msg = Trim(in.message);
  std::array<std::string_view, 16> f;
  size_t n = 0;
  for (std::string_view rest = msg;;) {
    if (n == f.size()) return false;
    size_t bar = rest.find('|');
    f[n++] = rest.substr(0, bar);
    if (bar == std::string_view::npos) break;
    rest.remove_prefix(bar + 1);
  }
  // The result follows the operation; the prefix is %u|%I (2 fields) or %u|%I|%m|%S (4).
  size_t r = 0;
  for (size_t i = 2; i < n; ++i) {
    if (IsResult(f[i]) && IsOperation(f[i - 1])) {
      r = i;
      break;
    }
  }
  size_t prefix = r == 0 ? 0 : r - 1;
  if (prefix != 2 && prefix != 4) return false;
  if (!IsIpText(f[1])) return false;
  std::string_view op = f[r - 1];
  std::string_view result = f[r];

  out->Add(Field::kKirokuNormalizer, "samba-full-audit");
  out->Add(Field::kObserverType, "fileserver");
  out->Add(Field::kObserverVendor, "samba");
  out->Add(Field::kObserverProduct, "samba");
  out->Add(Field::kEventCategory, "file");
  out->Add(Field::kEventAction, op);
  bool ok = result == "ok";
  out->Add(Field::kEventOutcome, ok ? "success" : "failure");
  if (!ok && result.size() > 6 && result.back() == ')') {
    out->Add(Field::kEventReason, result.substr(6, result.size() - 7));
  }
  out->Add(Field::kUserName, f[0]);
  out->Add(Field::kSourceIp, f[1]);
  if (prefix == 4) out->Add(Field::kShareName, f[3]);
  if (r + 1 < n) {
    std::string_view last = f[n - 1];
    if (op == "connect" || op == "disconnect") {
      if (prefix != 4) out->Add(Field::kShareName, last);
    } else {
      out->Add(Field::kFilePath, last);
    }
  }
  return true;
}

}  // namespace kiroku::normalize

#include "normalize/network/netfilter.h"

#include "normalize/network/internal/flow.h"
#include "normalize/text.h"

namespace kiroku::normalize {
namespace {

// "[12345.678901] " or "[    3.141592] " as printk puts it before the message.
std::string_view SkipKernelTime(std::string_view m) {
  if (m.empty() || m[0] != '[') return m;
  size_t i = 1;
  while (i < m.size() && m[i] == ' ') ++i;
  size_t digits = i;
  while (i < m.size() && ((m[i] >= '0' && m[i] <= '9') || m[i] == '.')) ++i;
  if (i == digits || i >= m.size() || m[i] != ']') return m;
  return Trim(m.substr(i + 1));
}

// Position of the "IN=" that opens the LOG fields: "IN=<if> OUT=", where the prefix may be glued
// to it ("DROPIN=eth0") when the rule's prefix has no trailing blank. Searched from each " OUT="
// back over the one token before it, so the work stays linear in the line's length.
size_t FindLogFields(std::string_view m) {
  for (size_t q = m.find(" OUT="); q != std::string_view::npos; q = m.find(" OUT=", q + 1)) {
    size_t sp = q == 0 ? std::string_view::npos : m.rfind(' ', q - 1);
    size_t start = sp == std::string_view::npos ? 0 : sp + 1;
    std::string_view token = m.substr(start, q - start);
    size_t p = token.find("IN=");
    // "PHYSIN=" (bridge port) is not the start.
    while (p != std::string_view::npos && p >= 4 && token.substr(p - 4, 4) == "PHYS") {
      p = token.find("IN=", p + 1);
    }
    if (p != std::string_view::npos) return start + p;
  }
  return std::string_view::npos;
}

}  // namespace

bool NormalizeNetfilter(const Input& in, const Config& config, Event* out) {
  // The kernel writes LOG lines (ulogd when NFLOG is used); an application that happens to
  // print "IN=.. OUT=" is not netfilter.
  if (!in.app.empty() && in.app != "kernel" && in.app != "ulogd" && in.app != "ulogd2") {
    return false;
  }
  std::string_view m = in.message;
  if (m.size() < 20 || m.find(" OUT=") == std::string_view::npos) return false;
  m = SkipKernelTime(Trim(m));
  size_t fields_at = FindLogFields(m);
  if (fields_at == std::string_view::npos) return false;
  std::string_view prefix = Trim(m.substr(0, fields_at));
  std::string_view fields = m.substr(fields_at);

  std::string_view src, dst, spt, dpt, proto;
  KeyValueScanner kv(fields, ' ', '=');
  for (std::string_view k, v; kv.Next(&k, &v);) {
    // The ICMP error's quoted packet follows in "[SRC=.. DST=..]"; its fields are not ours.
    if (!k.empty() && k[0] == '[') break;
    if (k == "SRC") {
      src = v;
    } else if (k == "DST") {
      dst = v;
    } else if (k == "SPT") {
      spt = v;
    } else if (k == "DPT") {
      dpt = v;
    } else if (k == "PROTO") {
      proto = v;
    }
  }
  if (!IsIpText(src) || !IsIpText(dst)) return false;

  internal::SetObserver(out, "netfilter", "Linux", "netfilter");
  out->Add(Field::kEventCategory, "network");
  if (const PrefixRule* rule = config.MatchNetfilterPrefix(prefix)) {
    out->Add(Field::kEventAction, rule->action);
    out->Add(Field::kEventOutcome, rule->outcome);
  } else {
    out->Add(Field::kEventAction, "log");
  }
  out->Add(Field::kRuleName, prefix);
  internal::AddEndpoint(out, true, src, spt);
  internal::AddEndpoint(out, false, dst, dpt);
  internal::AddTransport(out, proto);
  out->Add(Field::kNetworkDirection, config.Direction(src, dst));
  return true;
}

}  // namespace kiroku::normalize

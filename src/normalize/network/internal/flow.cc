#include "normalize/network/internal/flow.h"

#include <array>

#include "normalize/text.h"

namespace kiroku::normalize::internal {
namespace {

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

struct ProtoName {
  int number;
  std::string_view name;
};

// The protocols firewalls log in practice; IANA "Keyword" names, as ECS asks.
constexpr std::array<ProtoName, 10> kProtos = {{
    {1, "icmp"},
    {2, "igmp"},
    {6, "tcp"},
    {17, "udp"},
    {41, "ipv6"},
    {47, "gre"},
    {50, "esp"},
    {51, "ah"},
    {58, "ipv6-icmp"},
    {132, "sctp"},
}};

}  // namespace

void SetObserver(Event* out, std::string_view normalizer, std::string_view vendor,
                 std::string_view product, std::string_view type) {
  out->Add(Field::kKirokuNormalizer, normalizer);
  out->Add(Field::kObserverType, type);
  out->Add(Field::kObserverVendor, vendor);
  out->Add(Field::kObserverProduct, product);
}

void AddTransport(Event* out, std::string_view proto) {
  proto = Trim(proto);
  if (proto.empty()) return;
  if (std::optional<int64_t> n = ParseInt(proto)) {
    for (const ProtoName& p : kProtos) {
      if (p.number == *n) {
        out->Add(Field::kNetworkTransport, p.name);
        return;
      }
    }
    return;  // a number we have no name for: not a transport keyword
  }
  if (EqualsIgnoreCase(proto, "icmpv6") || EqualsIgnoreCase(proto, "icmp6")) {
    out->Add(Field::kNetworkTransport, "ipv6-icmp");
    return;
  }
  for (char c : proto) {
    bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) return;
  }
  out->AddLower(Field::kNetworkTransport, proto);
}

bool IsPort(std::string_view s) {
  if (s.empty() || s.size() > 5) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  std::optional<int64_t> n = ParseInt(s);
  return n && *n <= 65535;
}

void AddEndpoint(Event* out, bool source, std::string_view ip, std::string_view port) {
  ip = Trim(ip);
  port = Trim(port);
  if (IsIpText(ip)) out->Add(source ? Field::kSourceIp : Field::kDestinationIp, ip);
  if (IsPort(port)) out->Add(source ? Field::kSourcePort : Field::kDestinationPort, port);
}

void AddAction(Event* out, std::string_view value) {
  value = Trim(value);
  if (value.empty() || value.size() > 48) return;
  std::array<char, 48> buf{};
  size_t n = 0;
  for (char c : value) {
    if (c == ' ' || c == '_') {
      c = '-';
    } else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '-' || c == '.')) {
      return;
    }
    buf[n++] = Lower(c);
  }
  out->Add(Field::kEventAction, std::string_view(buf.data(), n));
}

void AddUser(Event* out, std::string_view user) {
  user = Trim(user);
  if (auto cut = Cut(user, '\\'); cut && !cut->before.empty() && !cut->after.empty()) {
    out->Add(Field::kUserDomain, cut->before);
    out->Add(Field::kUserName, cut->after);
    return;
  }
  out->Add(Field::kUserName, user);
}

}  // namespace kiroku::normalize::internal

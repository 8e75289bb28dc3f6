#include "normalize/config.h"

#include <arpa/inet.h>

#include <cstring>
#include <optional>

#include "normalize/text.h"

namespace kiroku::normalize {
namespace {

std::optional<std::array<uint8_t, 16>> ParseIp16(std::string_view s) {
  if (s.empty() || s.size() > 45) return std::nullopt;
  std::array<char, 46> buf{};
  std::memcpy(buf.data(), s.data(), s.size());
  std::array<uint8_t, 16> out{};
  if (s.find(':') != std::string_view::npos) {
    if (inet_pton(AF_INET6, buf.data(), out.data()) != 1) return std::nullopt;
    return out;
  }
  std::array<uint8_t, 4> v4{};
  if (inet_pton(AF_INET, buf.data(), v4.data()) != 1) return std::nullopt;
  out[10] = 0xff;
  out[11] = 0xff;
  std::memcpy(out.data() + 12, v4.data(), 4);
  return out;
}

bool InPrefix(const std::array<uint8_t, 16>& a, const std::array<uint8_t, 16>& base, int bits) {
  for (int i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
    uint8_t mask = bits >= 8 ? 0xff : static_cast<uint8_t>(0xff << (8 - bits));
    if ((a[i] & mask) != (base[i] & mask)) return false;
  }
  return true;
}

}  // namespace

Config::Config() {
  for (std::string_view net : {"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8",
                               "fc00::/7", "::1/128", "fe80::/10"}) {
    Status s = AddInternalNetwork(net);
    (void)s;
  }
  internal_default_ = true;
  for (PrefixRule r :
       {PrefixRule{"drop", "deny", "failure"}, PrefixRule{"deny", "deny", "failure"},
        PrefixRule{"reject", "reject", "failure"}, PrefixRule{"block", "deny", "failure"},
        PrefixRule{"accept", "allow", "success"}, PrefixRule{"allow", "allow", "success"},
        PrefixRule{"permit", "allow", "success"}}) {
    prefixes_.push_back(std::move(r));
  }
  prefixes_default_ = true;
}

Status Config::AddInternalNetwork(std::string_view cidr) {
  std::string_view addr = cidr;
  std::optional<int> bits;
  if (auto cut = Cut(cidr, '/')) {
    addr = cut->before;
    std::optional<int64_t> n = ParseInt(cut->after);
    if (!n)
      return Status::InvalidArgument("internal network: bad prefix length in " + std::string(cidr));
    bits = static_cast<int>(*n);
  }
  std::optional<std::array<uint8_t, 16>> a = ParseIp16(addr);
  if (!a) return Status::InvalidArgument("internal network: not an address: " + std::string(cidr));
  bool v4 = addr.find(':') == std::string_view::npos;
  int max = v4 ? 32 : 128;
  if (!bits) bits = max;
  if (*bits < 0 || *bits > max) {
    return Status::InvalidArgument("internal network: prefix length out of range in " +
                                   std::string(cidr));
  }
  if (internal_default_) {
    internal_.clear();
    internal_default_ = false;
  }
  internal_.push_back(Net{*a, v4 ? *bits + 96 : *bits});
  return Status::Ok();
}

bool Config::IsInternal(std::string_view ip) const {
  std::optional<std::array<uint8_t, 16>> a = ParseIp16(ip);
  if (!a) return false;
  for (const Net& n : internal_) {
    if (InPrefix(*a, n.base, n.bits)) return true;
  }
  return false;
}

std::string_view Config::Direction(std::string_view src_ip, std::string_view dst_ip) const {
  if (!ParseIp16(src_ip) || !ParseIp16(dst_ip)) return {};
  bool s = IsInternal(src_ip);
  bool d = IsInternal(dst_ip);
  if (s && d) return "internal";
  if (s) return "outbound";
  if (d) return "inbound";
  return "external";
}

void Config::AddNetfilterPrefix(PrefixRule rule) {
  if (prefixes_default_) {
    prefixes_.clear();
    prefixes_default_ = false;
  }
  prefixes_.push_back(std::move(rule));
}

const PrefixRule* Config::MatchNetfilterPrefix(std::string_view prefix) const {
  for (const PrefixRule& r : prefixes_) {
    if (FindIgnoreCase(prefix, r.contains) != std::string_view::npos) return &r;
  }
  return nullptr;
}

void Config::AddAdmin(std::string_view user) { admins_.emplace_back(Trim(user)); }

bool Config::IsAdmin(std::string_view user) const {
  user = Trim(user);
  for (const std::string& a : admins_) {
    if (EqualsIgnoreCase(a, user)) return true;
  }
  return false;
}

}  // namespace kiroku::normalize

#include "query/ip_address.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace kiroku::query {
namespace {

constexpr std::array<uint8_t, 12> kV4MappedPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

IpAddress FromV4(const uint8_t* v4) {
  IpAddress a;
  std::memcpy(a.bytes.data(), kV4MappedPrefix.data(), kV4MappedPrefix.size());
  std::memcpy(a.bytes.data() + 12, v4, 4);
  return a;
}

}  // namespace

bool IpAddress::is_v4() const {
  return std::memcmp(bytes.data(), kV4MappedPrefix.data(), kV4MappedPrefix.size()) == 0;
}

std::string IpAddress::ToString() const {
  char buf[INET6_ADDRSTRLEN] = {0};
  if (is_v4()) {
    inet_ntop(AF_INET, bytes.data() + 12, buf, sizeof buf);
  } else {
    inet_ntop(AF_INET6, bytes.data(), buf, sizeof buf);
  }
  return buf;
}

std::optional<IpAddress> ParseIpAddress(std::string_view text) {
  // inet_pton wants a NUL-terminated string; the longest valid text form is 45 characters.
  char buf[INET6_ADDRSTRLEN + 1];
  if (text.empty() || text.size() >= sizeof buf) return std::nullopt;
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  uint8_t raw[16];
  if (text.find(':') == std::string_view::npos) {
    if (inet_pton(AF_INET, buf, raw) != 1) return std::nullopt;
    return FromV4(raw);
  }
  if (inet_pton(AF_INET6, buf, raw) != 1) return std::nullopt;
  IpAddress a;
  std::memcpy(a.bytes.data(), raw, 16);
  return a;
}

std::optional<IpAddress> FromPeer(const PeerAddress& peer) {
  if (peer.family == 4) return FromV4(peer.addr.data());
  if (peer.family == 6) {
    IpAddress a;
    a.bytes = peer.addr;
    return a;
  }
  return std::nullopt;
}

bool IpPrefix::Contains(const IpAddress& a) const {
  int full = bits / 8;
  if (std::memcmp(a.bytes.data(), base.bytes.data(), full) != 0) return false;
  int rest = bits % 8;
  if (rest == 0) return true;
  uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (a.bytes[full] & mask) == base.bytes[full];
}

std::optional<IpPrefix> ParseIpPrefix(std::string_view text) {
  size_t slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  std::optional<IpAddress> base = ParseIpAddress(text.substr(0, slash));
  if (!base) return std::nullopt;
  std::string_view len_text = text.substr(slash + 1);
  int len = -1;
  auto [end, ec] = std::from_chars(len_text.data(), len_text.data() + len_text.size(), len);
  if (ec != std::errc() || end != len_text.data() + len_text.size() || len_text.size() > 3) {
    return std::nullopt;
  }
  // An IPv4 prefix is written in IPv4 terms even though it is stored mapped into IPv6.
  bool v4 = text.substr(0, slash).find(':') == std::string_view::npos;
  int max = v4 ? 32 : 128;
  if (len < 0 || len > max) return std::nullopt;
  IpPrefix p;
  p.bits = v4 ? len + 96 : len;
  p.base = *base;
  for (int i = 0; i < 16; ++i) {
    int keep = p.bits - i * 8;
    if (keep >= 8) continue;
    p.base.bytes[i] &= keep <= 0 ? 0 : static_cast<uint8_t>(0xff << (8 - keep));
  }
  return p;
}

}  // namespace kiroku::query

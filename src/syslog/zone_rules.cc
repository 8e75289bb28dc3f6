#include "syslog/zone_rules.h"

#include <arpa/inet.h>
#include <date/tz.h>

#include <cstdlib>
#include <cstring>
#include <exception>

namespace kiroku::syslog {
namespace {

constexpr std::string_view kHostPrefix = "host:";

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c | 0x20) : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) {
      return false;
    }
  }
  return true;
}

// date throws for unknown names and a missing /etc/localtime; kiroku does not throw.
Zone LocateOrNull(std::string_view name) {
  try {
    return date::locate_zone(std::string(name));
  } catch (const std::exception&) {
    return nullptr;
  }
}

// The server's zone as the C library sees it: TZ if set (":Area/City", "Area/City" or a path
// into the zoneinfo tree), else /etc/localtime. date::current_zone() alone ignores TZ.
// A POSIX rule string ("JST-9") cannot become a date::time_zone, so it falls back to
// /etc/localtime; an empty TZ means UTC, as in glibc.
Zone LocalZone() {
  if (const char* tz = std::getenv("TZ"); tz != nullptr) {
    std::string_view name = tz;
    if (name.empty()) {
      return nullptr;
    }
    if (name.front() == ':') {
      name.remove_prefix(1);
    }
    for (std::string_view dir : {"/usr/share/zoneinfo/", "/usr/lib/zoneinfo/"}) {
      if (name.substr(0, dir.size()) == dir) {
        name.remove_prefix(dir.size());
      }
    }
    if (Zone z = LocateOrNull(name)) {
      return z;
    }
  }
  try {
    return date::current_zone();
  } catch (const std::exception&) {
    return nullptr;  // no usable /etc/localtime: UTC is the only honest guess
  }
}

// IPv4 rules also match IPv4-mapped IPv6 peers (::ffff:a.b.c.d) from dual-stack sockets.
PeerAddress Unmap(const PeerAddress& p) {
  static constexpr uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (p.family != 6 || std::memcmp(p.addr.data(), kMapped, sizeof kMapped) != 0) {
    return p;
  }
  PeerAddress v4;
  v4.family = 4;
  std::memcpy(v4.addr.data(), p.addr.data() + 12, 4);
  v4.port = p.port;
  return v4;
}

bool PrefixMatches(const PeerAddress& net, int prefix_len, const PeerAddress& addr) {
  if (net.family != addr.family) {
    return false;
  }
  const int full = prefix_len / 8;
  if (std::memcmp(net.addr.data(), addr.addr.data(), full) != 0) {
    return false;
  }
  const int rest = prefix_len % 8;
  if (rest == 0) {
    return true;
  }
  const uint8_t mask = static_cast<uint8_t>(0xff00 >> rest);
  return (net.addr[full] & mask) == (addr.addr[full] & mask);
}

// "192.0.2.0/24", "2001:db8::/32", or a bare address (a /32 or /128).
Status ParseNetwork(std::string_view match, PeerAddress* net, int* prefix_len) {
  const size_t slash = match.find('/');
  const std::string address(match.substr(0, slash));
  PeerAddress n;
  if (inet_pton(AF_INET, address.c_str(), n.addr.data()) == 1) {
    n.family = 4;
  } else if (inet_pton(AF_INET6, address.c_str(), n.addr.data()) == 1) {
    n.family = 6;
  } else {
    return Status::InvalidArgument("zone rule: not an address, CIDR or host:NAME: " +
                                   std::string(match));
  }
  const int max_len = n.family == 4 ? 32 : 128;
  int len = max_len;
  if (slash != std::string_view::npos) {
    const std::string_view digits = match.substr(slash + 1);
    if (digits.empty() || digits.size() > 3) {
      return Status::InvalidArgument("zone rule: bad prefix length in " + std::string(match));
    }
    len = 0;
    for (const char c : digits) {
      if (c < '0' || c > '9') {
        return Status::InvalidArgument("zone rule: bad prefix length in " + std::string(match));
      }
      len = len * 10 + (c - '0');
    }
    if (len > max_len) {
      return Status::InvalidArgument("zone rule: prefix length too long in " + std::string(match));
    }
  }
  // Keep only the network bits, so "10.1.2.3/16" means 10.1.0.0/16 and matching is a compare.
  for (int i = 0; i < 16; ++i) {
    const int bits = len - i * 8;
    if (bits <= 0) {
      n.addr[i] = 0;
    } else if (bits < 8) {
      n.addr[i] &= static_cast<uint8_t>(0xff00 >> bits);
    }
  }
  *net = n;
  *prefix_len = len;
  return Status::Ok();
}

}  // namespace

StatusOr<Zone> LookupZone(std::string_view name) {
  if (name == "UTC" || name == "utc") {
    return Zone{nullptr};
  }
  if (name == "local") {
    return LocalZone();
  }
  if (Zone z = LocateOrNull(name)) {
    return z;
  }
  return Status::NotFound("unknown time zone: " + std::string(name));
}

ZoneRules::ZoneRules() : default_(LocalZone()) {}

Status ZoneRules::Add(std::string_view match, std::string_view zone) {
  StatusOr<Zone> z = LookupZone(zone);
  if (!z.ok()) {
    return z.status();
  }
  Rule rule;
  rule.zone = *z;
  if (match.substr(0, kHostPrefix.size()) == kHostPrefix) {
    rule.by_host = true;
    rule.host = std::string(match.substr(kHostPrefix.size()));
    if (rule.host.empty()) {
      return Status::InvalidArgument("zone rule: empty host name");
    }
  } else {
    KIROKU_RETURN_IF_ERROR(ParseNetwork(match, &rule.net, &rule.prefix_len));
  }
  rules_.push_back(std::move(rule));
  return Status::Ok();
}

Status ZoneRules::SetDefault(std::string_view zone) {
  StatusOr<Zone> z = LookupZone(zone);
  if (!z.ok()) {
    return z.status();
  }
  default_ = *z;
  return Status::Ok();
}

Zone ZoneRules::ZoneFor(const PeerAddress& peer, std::string_view host) const {
  if (rules_.empty()) {
    return default_;
  }
  const PeerAddress addr = Unmap(peer);
  for (const Rule& r : rules_) {
    if (r.by_host ? EqualsIgnoreCase(r.host, host) : PrefixMatches(r.net, r.prefix_len, addr)) {
      return r.zone;
    }
  }
  return default_;
}

}  // namespace kiroku::syslog

// IP addresses and CIDR prefixes as the query language compares them.
//
// An IPv4 address and its IPv4-mapped IPv6 form (::ffff:a.b.c.d, what a dual-stack socket
// reports for an IPv4 peer) are the same address here, so `10.0.0.0/8` finds an IPv4 sender
// whichever socket received it.
//
//   std::optional<IpPrefix> p = ParseIpPrefix("10.0.0.0/8");
//   bool in = p->Contains(*ParseIpAddress("10.1.2.3"));
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/record.h"

namespace kiroku::query {

// Always kept as IPv6 bytes (IPv4 as ::ffff:a.b.c.d) so comparisons need no family cases.
struct IpAddress {
  std::array<uint8_t, 16> bytes{};

  bool is_v4() const;
  std::string ToString() const;  // dotted quad for IPv4, RFC 5952 text for IPv6
  // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads the defaulted <=>
  friend auto operator<=>(const IpAddress&, const IpAddress&) = default;
};

// "10.1.2.3", "2001:db8::1", "::ffff:10.1.2.3". No zone ids, no ports, no brackets.
std::optional<IpAddress> ParseIpAddress(std::string_view text);

// The sending socket's address; nullopt when there was no network peer (import, internal).
std::optional<IpAddress> FromPeer(const PeerAddress& peer);

struct IpPrefix {
  IpAddress base;  // host bits cleared
  int bits = 128;  // prefix length counted on the 128-bit form (IPv4 /8 is stored as /104)

  bool Contains(const IpAddress& a) const;
  friend bool operator==(const IpPrefix&, const IpPrefix&) = default;
};

// "10.0.0.0/8", "2001:db8::/32". The length is read in the address's own family (0..32 for
// IPv4, 0..128 for IPv6). Host bits set in the base ("10.1.0.0/8") are accepted and cleared,
// as most tools do.
std::optional<IpPrefix> ParseIpPrefix(std::string_view text);

}  // namespace kiroku::query

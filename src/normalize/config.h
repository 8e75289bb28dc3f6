// What the site tells the normalisers: which networks are inside (for network.direction when a
// log does not say), which netfilter log prefixes mean which action, and which users and bind
// DNs are administrators (for kiroku.admin). Comes from the [normalize] table of the config
// file (docs/configuration.md); the defaults work without any of it.
//
//   Config c;
//   KIROKU_RETURN_IF_ERROR(c.AddInternalNetwork("10.0.0.0/8"));
//   c.Direction("10.1.2.3", "203.0.113.5");   // "outbound"
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace kiroku::normalize {

// What a netfilter LOG prefix means: "DROP" → deny/failure. Matched case-insensitively as a
// substring of the prefix, first rule wins.
struct PrefixRule {
  std::string contains;
  std::string action;   // event.action: "deny", "allow", "reject", ...
  std::string outcome;  // event.outcome: "failure" or "success"
};

class Config {
 public:
  Config();  // RFC 1918 + ULA + loopback as internal; default netfilter prefix rules

  // Replaces the default internal networks on the first call.
  Status AddInternalNetwork(std::string_view cidr);
  bool IsInternal(std::string_view ip) const;
  // network.direction from two addresses: inbound (external → internal), outbound (internal →
  // external), internal, external; "" when either address does not parse.
  std::string_view Direction(std::string_view src_ip, std::string_view dst_ip) const;

  // Replaces the default prefix rules on the first call.
  void AddNetfilterPrefix(PrefixRule rule);
  const std::vector<PrefixRule>& netfilter_prefixes() const { return prefixes_; }
  // The first rule whose `contains` is in `prefix`, or nullptr.
  const PrefixRule* MatchNetfilterPrefix(std::string_view prefix) const;

  // User names, bind DNs or DOMAIN\user forms; compared case-insensitively.
  void AddAdmin(std::string_view user);
  bool IsAdmin(std::string_view user) const;

 private:
  struct Net {
    std::array<uint8_t, 16> base{};
    int bits = 0;
  };
  std::vector<Net> internal_;
  bool internal_default_ = true;
  std::vector<PrefixRule> prefixes_;
  bool prefixes_default_ = true;
  std::vector<std::string> admins_;
};

}  // namespace kiroku::normalize

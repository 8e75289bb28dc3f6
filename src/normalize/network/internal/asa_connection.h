// What the ASA connection correlator needs from a Built/Teardown message (302013..302021): the
// text that names the connection on its box and the two addresses in the order the message
// lists them. Shared by asa.cc (which knows the layouts) and asa_correlator.cc.
//
//   auto c = internal::ReadAsaConnection("%ASA-6-302014: Teardown TCP connection 9 for ...");
//   c->key == "TCP connection 9";  c->built == false;
#pragma once

#include <optional>
#include <string_view>

namespace kiroku::normalize::internal {

struct AsaConnection {
  std::string_view key;        // "TCP connection 9", or "faddr A/s gaddr B/t laddr C/t" (ICMP)
  bool built = false;          // 302013/302015/302020, else a teardown
  std::string_view first_ip;   // the outside ("foreign") socket as listed
  std::string_view second_ip;  // the inside ("local") socket as listed
};

std::optional<AsaConnection> ReadAsaConnection(std::string_view message);

}  // namespace kiroku::normalize::internal

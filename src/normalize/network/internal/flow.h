// Helpers the network formats share: IANA protocol names for network.transport, endpoints that
// are only added when both halves check out, the observer block, and outcome words.
//
//   internal::SetObserver(out, "asa", "Cisco", "ASA");
//   internal::AddTransport(out, "6");          // network.transport = "tcp"
//   internal::AddEndpoint(out, true, "10.0.0.1", "443");
#pragma once

#include <string_view>

#include "normalize/event.h"

namespace kiroku::normalize::internal {

// Sets kiroku.normalizer, observer.type "firewall", observer.vendor/product.
void SetObserver(Event* out, std::string_view normalizer, std::string_view vendor,
                 std::string_view product, std::string_view type = "firewall");

// network.transport from a protocol number ("6") or name ("TCP", "ICMPv6"), lower case, IANA
// keyword names (ipv6-icmp for ICMPv6). Unknown names are lower-cased; nothing for junk.
void AddTransport(Event* out, std::string_view proto);

// source.* (source == true) or destination.* ip and port; the port only when it is a number in
// 0..65535. The ip only when it is an address.
void AddEndpoint(Event* out, bool source, std::string_view ip, std::string_view port);

// A lower-case, kebab-case copy of `value` ("Deny Access" → "deny-access") as event.action.
// Values longer than 48 bytes or with odd characters are not added.
void AddAction(Event* out, std::string_view value);

// "DOMAIN\user" → user.domain + user.name; otherwise user.name.
void AddUser(Event* out, std::string_view user);

bool IsPort(std::string_view s);

}  // namespace kiroku::normalize::internal

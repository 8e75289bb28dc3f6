// `kiroku investigate ip ADDR`: every internal host that talked to ADDR through the proxy or
// the firewall (G-II.1, G-II.2): first and last seen, proxy requests and firewall connections,
// allowed and denied, bytes each way, and the users seen on the host (the proxy's or
// firewall's user on those lines, and RADIUS/LDAP/database logons from the host's address, a
// second query per host).
//
// ADDR is an address (203.0.113.50), a CIDR (203.0.113.0/24) or a host name (c2.example.net,
// matched against the URL's host and the destination's name). A host is internal by the
// site's internal_networks (DATA/normalize.json; default RFC 1918, ULA, loopback).
//
//   StatusOr<IpReport> r = InvestigateIp(ctx, "203.0.113.50");
//   WriteIpText(*r, std::cout);
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "investigate/context.h"
#include "investigate/users_seen.h"

namespace kiroku::investigate {

struct HostContact {
  std::string ip;
  int64_t first_ns = 0;
  int64_t last_ns = 0;
  uint64_t proxy_requests = 0;
  uint64_t firewall_connections = 0;  // firewall records: connections, or their start/end lines
  uint64_t outbound = 0;              // host -> ADDR
  uint64_t inbound = 0;               // ADDR -> host
  uint64_t allowed = 0;               // event.outcome success
  uint64_t denied = 0;                // event.outcome failure
  uint64_t bytes_sent = 0;            // host -> ADDR (source/destination.bytes, by direction)
  uint64_t bytes_received = 0;        // ADDR -> host (also http.response.bytes)
  uint64_t bytes_total = 0;           // sent + received + network.bytes (totals without a side)
  std::vector<std::string> domains;   // url.domain of the proxy requests, first seen first
  std::vector<UserSeen> users;
};

struct IpReport {
  std::string address;
  std::string query;                   // the proxy/firewall query that was run
  uint64_t records = 0;                // proxy and firewall records that matched
  uint64_t without_internal_host = 0;  // matched, but neither side is internal
  std::vector<HostContact> hosts;      // by first seen
};

// InvalidArgument when ADDR is neither an address, a CIDR nor a host name.
StatusOr<IpReport> InvestigateIp(const Context& ctx, std::string_view address);

void WriteIpText(const IpReport& report, std::ostream& out);
nlohmann::ordered_json IpJson(const IpReport& report);

}  // namespace kiroku::investigate

// Listen addresses ("127.0.0.1:5514", "[::1]:5514", "0.0.0.0:514") and socket peers.
#pragma once

#include <asio/ip/tcp.hpp>
#include <asio/ip/udp.hpp>
#include <string>

#include "common/record.h"
#include "common/status.h"

namespace kiroku::ingest {

// Splits "host:port" or "[v6]:port"; the host must be a literal address (no DNS at start-up).
Status SplitHostPort(const std::string& address, std::string* host, uint16_t* port);
StatusOr<asio::ip::tcp::endpoint> ResolveEndpoint(const std::string& address);
StatusOr<asio::ip::udp::endpoint> ResolveUdpEndpoint(const std::string& address);

PeerAddress PeerFromAddress(const asio::ip::address& a, uint16_t port);
template <typename Endpoint>
PeerAddress PeerFromEndpoint(const Endpoint& ep) {
  return PeerFromAddress(ep.address(), ep.port());
}
std::string EndpointString(const asio::ip::tcp::endpoint& ep);
std::string EndpointString(const asio::ip::udp::endpoint& ep);

}  // namespace kiroku::ingest

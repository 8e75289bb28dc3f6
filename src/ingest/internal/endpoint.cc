#include "ingest/internal/endpoint.h"

#include <charconv>

namespace kiroku::ingest {

Status SplitHostPort(const std::string& address, std::string* host, uint16_t* port) {
  size_t colon = address.rfind(':');
  if (colon == std::string::npos) {
    return Status::InvalidArgument("address '" + address + "' is not host:port");
  }
  std::string h = address.substr(0, colon);
  if (h.size() >= 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  if (h.empty()) h = "0.0.0.0";
  std::string p = address.substr(colon + 1);
  unsigned value = 0;
  auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), value);
  if (p.empty() || ec != std::errc() || end != p.data() + p.size() || value > 65535) {
    return Status::InvalidArgument("address '" + address + "' has no valid port");
  }
  *host = h;
  *port = static_cast<uint16_t>(value);
  return Status::Ok();
}

namespace {
template <typename Endpoint>
StatusOr<Endpoint> Resolve(const std::string& address) {
  std::string host;
  uint16_t port = 0;
  KIROKU_RETURN_IF_ERROR(SplitHostPort(address, &host, &port));
  if (host == "localhost") host = "127.0.0.1";
  asio::error_code ec;
  asio::ip::address a = asio::ip::make_address(host, ec);
  if (ec) {
    return Status::InvalidArgument("address '" + address + "': '" + host +
                                   "' is not an IP address");
  }
  return Endpoint(a, port);
}
template <typename Endpoint>
std::string ToString(const Endpoint& ep) {
  if (ep.address().is_v6())
    return "[" + ep.address().to_string() + "]:" + std::to_string(ep.port());
  return ep.address().to_string() + ":" + std::to_string(ep.port());
}
}  // namespace

StatusOr<asio::ip::tcp::endpoint> ResolveEndpoint(const std::string& address) {
  return Resolve<asio::ip::tcp::endpoint>(address);
}
StatusOr<asio::ip::udp::endpoint> ResolveUdpEndpoint(const std::string& address) {
  return Resolve<asio::ip::udp::endpoint>(address);
}
std::string EndpointString(const asio::ip::tcp::endpoint& ep) { return ToString(ep); }
std::string EndpointString(const asio::ip::udp::endpoint& ep) { return ToString(ep); }

PeerAddress PeerFromAddress(const asio::ip::address& a, uint16_t port) {
  PeerAddress p;
  p.port = port;
  if (a.is_v4()) {
    p.family = 4;
    auto b = a.to_v4().to_bytes();
    std::copy(b.begin(), b.end(), p.addr.begin());
  } else if (a.is_v6()) {
    auto v6 = a.to_v6();
    if (v6.is_v4_mapped()) {  // a dual-stack socket's IPv4 peer: store it as IPv4
      p.family = 4;
      auto b = asio::ip::make_address_v4(asio::ip::v4_mapped, v6).to_bytes();
      std::copy(b.begin(), b.end(), p.addr.begin());
    } else {
      p.family = 6;
      auto b = v6.to_bytes();
      std::copy(b.begin(), b.end(), p.addr.begin());
    }
  }
  return p;
}

}  // namespace kiroku::ingest

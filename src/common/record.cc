#include "common/record.h"

#include <arpa/inet.h>

namespace kiroku {

std::string_view TransportName(Transport t) {
  switch (t) {
    case Transport::kUdp:
      return "udp";
    case Transport::kTcp:
      return "tcp";
    case Transport::kTls:
      return "tls";
    case Transport::kRelp:
      return "relp";
    case Transport::kImport:
      return "import";
    case Transport::kInternal:
      return "internal";
    case Transport::kUnknown:
      break;
  }
  return "unknown";
}

std::optional<Transport> TransportFromName(std::string_view name) {
  for (auto t : {Transport::kUdp, Transport::kTcp, Transport::kTls, Transport::kRelp,
                 Transport::kImport, Transport::kInternal}) {
    if (TransportName(t) == name) return t;
  }
  return std::nullopt;
}

std::string PeerAddress::AddressString() const {
  char buf[INET6_ADDRSTRLEN] = {0};
  if (family == 4) {
    inet_ntop(AF_INET, addr.data(), buf, sizeof buf);
  } else if (family == 6) {
    inet_ntop(AF_INET6, addr.data(), buf, sizeof buf);
  }
  return buf;
}

std::string PeerAddress::ToString() const {
  if (family == 0) return "";
  std::string a = AddressString();
  if (family == 6) a = "[" + a + "]";
  return a + ":" + std::to_string(port);
}

}  // namespace kiroku

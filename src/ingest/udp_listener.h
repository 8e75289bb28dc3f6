// UdpListener: syslog over UDP (RFC 5426), one message per datagram.
//
// Reads in batches with recvmmsg when the socket is readable. A datagram longer than the limit
// is stored truncated and flagged, never dropped. The socket asks for a large receive buffer and
// for SO_RXQ_OVFL, so drops inside the kernel (the buffer overflowed) are read and exported as
// kiroku_udp_kernel_drops_total; a batch refused by a full queue is counted as
// kiroku_messages_dropped_total{reason="queue_full"} — UDP has no way to push back.
//
//   UdpListener udp(io, ctx, {.address = "127.0.0.1:5514"});
//   Status s = udp.Listen();
#pragma once

#include <memory>
#include <string>

#include "common/status.h"
#include "ingest/ingest_context.h"

namespace asio {
class io_context;
}

namespace kiroku::ingest {

struct UdpListenerOptions {
  std::string address;
  int receive_buffer_bytes = 8 << 20;
};

class UdpListener {
 public:
  UdpListener(asio::io_context& io, IngestContext& ctx, UdpListenerOptions options);
  ~UdpListener();
  UdpListener(const UdpListener&) = delete;
  UdpListener& operator=(const UdpListener&) = delete;

  Status Listen();
  std::string bound() const;
  void Stop();

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace kiroku::ingest

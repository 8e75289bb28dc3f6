// StreamListener: syslog over TCP (RFC 6587) and TLS (RFC 5425) on one Asio io_context.
//
// Each accepted connection gets a session that reads, frames (ingest/framer.h), parses and
// batches, then submits the batch to the committer. When the committer's queue is full the
// session stops reading until there is room again (back-pressure reaches the sender through TCP
// flow control); other sessions are unaffected because nothing here blocks the io thread.
// Connections over the limit are closed at once and counted; idle ones are closed after the
// idle timeout. TLS: 1.2 or newer, optional client-certificate verification against a CA, and an
// optional allowlist of SHA-256 certificate fingerprints.
//
//   StreamListener tcp(io, ctx, {.name = "syslog-tcp", .transport = Transport::kTcp,
//                                .address = "127.0.0.1:5514"});
//   Status s = tcp.Listen();   // then io.run()
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "ingest/ingest_context.h"

namespace asio {
class io_context;
}

namespace kiroku::ingest {

struct TlsOptions {
  std::string cert_file;  // PEM chain
  std::string key_file;   // PEM private key
  std::string ca_file;    // PEM; when set, clients must present a certificate it signed
  // SHA-256 fingerprints (hex, colons optional); when set, only these client certificates pass.
  std::vector<std::string> allowed_fingerprints;
};

struct StreamListenerOptions {
  std::string name;  // "syslog-tcp" or "syslog-tls", for logs
  Transport transport = Transport::kTcp;
  std::string address;              // "host:port", "[v6]:port"
  const TlsOptions* tls = nullptr;  // required for kTls
};

class StreamListener {
 public:
  StreamListener(asio::io_context& io, IngestContext& ctx, StreamListenerOptions options);
  ~StreamListener();
  StreamListener(const StreamListener&) = delete;
  StreamListener& operator=(const StreamListener&) = delete;

  // Binds and starts accepting. Returns the bound "ip:port" through bound().
  Status Listen();
  std::string bound() const;
  // Stops accepting and closes every session (their complete frames are submitted first).
  void Stop();

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace kiroku::ingest

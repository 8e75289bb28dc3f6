// The OpenSSL server context for syslog over TLS (RFC 5425), and certificate fingerprints.
#pragma once

#include <openssl/ssl.h>

#include <asio/ssl/context.hpp>
#include <memory>
#include <string>

#include "common/status.h"
#include "ingest/stream_listener.h"

namespace kiroku::ingest {

// TLS 1.2 or newer; client certificates required when a CA or a fingerprint allowlist is set.
// With an allowlist but no CA, self-signed client certificates are accepted and pinned by
// fingerprint (as rsyslog's x509/fingerprint mode does).
StatusOr<std::unique_ptr<asio::ssl::context>> CreateServerTlsContext(const TlsOptions& options);

// SHA-256 of the peer certificate's DER, lowercase hex without colons; "" when there is none.
std::string PeerCertificateFingerprint(SSL* ssl);
// "AB:CD:..." or "abcd..." (optionally prefixed "sha256:") to lowercase hex without colons.
std::string NormalizeFingerprint(const std::string& fingerprint);

}  // namespace kiroku::ingest

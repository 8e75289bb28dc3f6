#include "ingest/internal/tls_context.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <cctype>

namespace kiroku::ingest {

namespace {
std::string OpenSslError() {
  unsigned long e = ERR_get_error();
  if (e == 0) return "unknown OpenSSL error";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  ERR_clear_error();
  return buf;
}
}  // namespace

StatusOr<std::unique_ptr<asio::ssl::context>> CreateServerTlsContext(const TlsOptions& options) {
  if (options.cert_file.empty() || options.key_file.empty()) {
    return Status::InvalidArgument("syslog-tls needs --tls-cert and --tls-key");
  }
  auto ctx = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
  SSL_CTX* native = ctx->native_handle();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  SSL_CTX_set_options(
      native, SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_RENEGOTIATION);
  // Idle TLS sessions give their read/write buffers back.
  SSL_CTX_set_mode(native, SSL_MODE_RELEASE_BUFFERS);
  if (SSL_CTX_use_certificate_chain_file(native, options.cert_file.c_str()) != 1) {
    return Status::InvalidArgument("cannot load TLS certificate " + options.cert_file + ": " +
                                   OpenSslError());
  }
  if (SSL_CTX_use_PrivateKey_file(native, options.key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    return Status::InvalidArgument("cannot load TLS key " + options.key_file + ": " +
                                   OpenSslError());
  }
  if (SSL_CTX_check_private_key(native) != 1) {
    return Status::InvalidArgument("TLS key " + options.key_file + " does not match " +
                                   options.cert_file);
  }
  if (!options.ca_file.empty()) {
    if (SSL_CTX_load_verify_locations(native, options.ca_file.c_str(), nullptr) != 1) {
      return Status::InvalidArgument("cannot load TLS CA " + options.ca_file + ": " +
                                     OpenSslError());
    }
    SSL_CTX_set_verify(native, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  } else if (!options.allowed_fingerprints.empty()) {
    SSL_CTX_set_verify(native, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
                       [](int, X509_STORE_CTX*) { return 1; });
  }
  return ctx;
}

std::string PeerCertificateFingerprint(SSL* ssl) {
  X509* cert = SSL_get1_peer_certificate(ssl);
  if (!cert) return "";
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  X509_digest(cert, EVP_sha256(), md, &len);
  X509_free(cert);
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 15];
  }
  return out;
}

std::string NormalizeFingerprint(const std::string& fingerprint) {
  std::string f = fingerprint;
  for (const char* prefix : {"sha256:", "SHA256:"}) {
    if (f.rfind(prefix, 0) == 0) f = f.substr(7);
  }
  std::string out;
  for (char c : f) {
    if (c == ':' || c == ' ') continue;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

}  // namespace kiroku::ingest

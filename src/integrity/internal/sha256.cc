// See sha256.h for why this uses OpenSSL's low-level (deprecated in 3.0) SHA-256 functions.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "integrity/internal/sha256.h"

#include <openssl/sha.h>

namespace kiroku::integrity::internal {

namespace {
SHA256_CTX* Ctx(unsigned char* state) { return reinterpret_cast<SHA256_CTX*>(state); }
}  // namespace

Sha256Stream::Sha256Stream() {
  static_assert(sizeof(SHA256_CTX) <= sizeof(state_), "SHA256_CTX does not fit");
  SHA256_Init(Ctx(state_));
}

void Sha256Stream::Update(std::string_view data) {
  SHA256_Update(Ctx(state_), data.data(), data.size());
}

void Sha256Stream::Update(const void* data, size_t n) { SHA256_Update(Ctx(state_), data, n); }

Hash Sha256Stream::Finish() {
  Hash h;
  SHA256_Final(h.bytes.data(), Ctx(state_));
  return h;
}

}  // namespace kiroku::integrity::internal

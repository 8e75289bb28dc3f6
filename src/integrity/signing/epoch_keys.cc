#include "integrity/signing/epoch_keys.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cassert>
#include <cstdlib>
#include <cstring>
#include <string>

#include "integrity/signing/domain.h"
#include "integrity/signing/internal/bytes.h"

namespace kiroku::integrity::signing {
namespace {

// SHA-256 of the concatenation, without leaving a copy of the secret in a heap buffer.
// (EVP_MD_CTX_free cleanses the digest state.)
void Sha256Of(std::initializer_list<std::string_view> parts, uint8_t out[32]) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok = ctx != nullptr && EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) == 1;
  for (std::string_view p : parts) ok = ok && EVP_DigestUpdate(ctx, p.data(), p.size()) == 1;
  ok = ok && EVP_DigestFinal_ex(ctx, out, nullptr) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok) std::abort();  // allocation failure only
}

}  // namespace

RatchetSeed::RatchetSeed(std::string_view raw) {
  assert(raw.size() == kSize);
  std::memcpy(bytes_.data(), raw.data(), kSize);
}

RatchetSeed::~RatchetSeed() { OPENSSL_cleanse(bytes_.data(), bytes_.size()); }

StatusOr<RatchetSeed> RatchetSeed::Random() {
  RatchetSeed s;
  if (RAND_bytes(s.bytes_.data(), static_cast<int>(s.bytes_.size())) != 1) {
    return Status::Unavailable("RAND_bytes failed: the system random source is not ready");
  }
  return s;
}

RatchetSeed RatchetSeed::Next() const {
  RatchetSeed next;
  Sha256Of({kSeedRatchetLabel, View()}, next.bytes_.data());
  return next;
}

RatchetSeed RatchetSeed::Advance(uint64_t n) const {
  RatchetSeed s = *this;
  for (uint64_t i = 0; i < n; ++i) Sha256Of({kSeedRatchetLabel, s.View()}, s.bytes_.data());
  return s;
}

Ed25519Seed EpochSigningSeed(const RatchetSeed& seed, Epoch epoch) {
  std::string e;
  internal::PutU64(e, epoch.value);
  Ed25519Seed out;
  Sha256Of({kEpochKeyLabel, e, seed.View()}, out.mutable_bytes().data());
  return out;
}

Ed25519KeyPair EpochKeyPair(const RatchetSeed& seed, Epoch epoch) {
  return Ed25519KeyPair::FromSeed(EpochSigningSeed(seed, epoch));
}

}  // namespace kiroku::integrity::signing

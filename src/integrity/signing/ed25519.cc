#include "integrity/signing/ed25519.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cassert>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "integrity/signing/internal/hex.h"

namespace kiroku::integrity::signing {
namespace {

template <typename T>
std::optional<T> FixedFromHex(std::string_view hex) {
  if (hex.size() != 2 * T::kSize) return std::nullopt;
  auto raw = internal::FromHex(hex);
  if (!raw) return std::nullopt;
  return T::FromBytes(*raw);
}

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;

}  // namespace

std::string Ed25519PublicKey::Hex() const { return internal::ToHex(View()); }
std::optional<Ed25519PublicKey> Ed25519PublicKey::FromHex(std::string_view hex) {
  return FixedFromHex<Ed25519PublicKey>(hex);
}
Ed25519PublicKey Ed25519PublicKey::FromBytes(std::string_view raw) {
  assert(raw.size() == kSize);
  Ed25519PublicKey k;
  std::memcpy(k.bytes.data(), raw.data(), kSize);
  return k;
}

std::string Ed25519Signature::Hex() const { return internal::ToHex(View()); }
std::optional<Ed25519Signature> Ed25519Signature::FromHex(std::string_view hex) {
  return FixedFromHex<Ed25519Signature>(hex);
}
Ed25519Signature Ed25519Signature::FromBytes(std::string_view raw) {
  assert(raw.size() == kSize);
  Ed25519Signature s;
  std::memcpy(s.bytes.data(), raw.data(), kSize);
  return s;
}

Ed25519Seed::Ed25519Seed(std::string_view raw) {
  assert(raw.size() == kSize);
  std::memcpy(bytes_.data(), raw.data(), kSize);
}
Ed25519Seed::~Ed25519Seed() { OPENSSL_cleanse(bytes_.data(), bytes_.size()); }

struct Ed25519KeyPair::State {
  EVP_PKEY* pkey = nullptr;
  ~State() { EVP_PKEY_free(pkey); }
};

Ed25519KeyPair::Ed25519KeyPair(std::unique_ptr<State> state) : state_(std::move(state)) {
  size_t len = Ed25519PublicKey::kSize;
  if (EVP_PKEY_get_raw_public_key(state_->pkey, public_key_.bytes.data(), &len) != 1 ||
      len != Ed25519PublicKey::kSize) {
    std::abort();  // cannot fail for a key OpenSSL just made
  }
}
Ed25519KeyPair::~Ed25519KeyPair() = default;
Ed25519KeyPair::Ed25519KeyPair(Ed25519KeyPair&&) noexcept = default;
Ed25519KeyPair& Ed25519KeyPair::operator=(Ed25519KeyPair&&) noexcept = default;

// Allocation failure is the only way these OpenSSL calls fail for well-formed input; like
// operator new, we do not try to survive it.
Ed25519KeyPair Ed25519KeyPair::FromSeed(const Ed25519Seed& seed) {
  auto state = std::make_unique<State>();
  state->pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed.bytes().data(),
                                             seed.bytes().size());
  if (state->pkey == nullptr) std::abort();
  return Ed25519KeyPair(std::move(state));
}

Ed25519Signature Ed25519KeyPair::Sign(std::string_view message) const {
  MdCtx ctx(EVP_MD_CTX_new());
  Ed25519Signature sig;
  size_t len = sig.bytes.size();
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, state_->pkey) != 1 ||
      EVP_DigestSign(ctx.get(), sig.bytes.data(), &len,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1 ||
      len != sig.bytes.size()) {
    std::abort();
  }
  return sig;
}

bool Ed25519Verify(const Ed25519PublicKey& key, std::string_view message,
                   const Ed25519Signature& sig) {
  EVP_PKEY* pkey =
      EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, key.bytes.data(), key.bytes.size());
  if (pkey == nullptr) return false;
  MdCtx ctx(EVP_MD_CTX_new());
  bool ok =
      ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, pkey) == 1 &&
      EVP_DigestVerify(ctx.get(), sig.bytes.data(), sig.bytes.size(),
                       reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
  EVP_PKEY_free(pkey);
  return ok;
}

}  // namespace kiroku::integrity::signing

#include "integrity/signing/ed25519.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "integrity/signing/internal/hex.h"

namespace kiroku::integrity::signing {
namespace {

struct Vector {
  std::string name, secret, public_key, message, signature;  // hex, message "" for "-"
};

// RFC 8032 section 7.1, from testdata/rfc8032_ed25519.txt.
std::vector<Vector> LoadVectors() {
  std::ifstream in(std::string(KIROKU_SOURCE_DIR) +
                   "/src/integrity/signing/testdata/rfc8032_ed25519.txt");
  std::vector<Vector> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::string key = line.substr(0, line.find(' '));
    std::string value = line.substr(line.find(' ') + 1);
    if (key == "name") {
      out.push_back({value, "", "", "", ""});
    } else if (key == "secret") {
      out.back().secret = value;
    } else if (key == "public") {
      out.back().public_key = value;
    } else if (key == "message") {
      out.back().message = value == "-" ? "" : value;
    } else if (key == "signature") {
      out.back().signature = value;
    }
  }
  return out;
}

std::string Unhex(const std::string& hex) { return *internal::FromHex(hex); }

TEST(Ed25519Test, Rfc8032Vectors) {
  std::vector<Vector> vectors = LoadVectors();
  ASSERT_EQ(5u, vectors.size());
  for (const Vector& v : vectors) {
    SCOPED_TRACE(v.name);
    Ed25519KeyPair kp = Ed25519KeyPair::FromSeed(Ed25519Seed(Unhex(v.secret)));
    EXPECT_EQ(v.public_key, kp.public_key().Hex());
    const std::string message = Unhex(v.message);
    Ed25519Signature sig = kp.Sign(message);
    EXPECT_EQ(v.signature, sig.Hex());
    EXPECT_TRUE(Ed25519Verify(kp.public_key(), message, sig));
  }
  EXPECT_EQ(1023u, Unhex(vectors[3].message).size());
}

TEST(Ed25519Test, RejectsAlteredMessageSignatureOrKey) {
  std::vector<Vector> vectors = LoadVectors();
  ASSERT_GE(vectors.size(), 3u);
  const Vector& v = vectors[2];
  auto key = *Ed25519PublicKey::FromHex(v.public_key);
  auto sig = *Ed25519Signature::FromHex(v.signature);
  const std::string message = Unhex(v.message);
  ASSERT_TRUE(Ed25519Verify(key, message, sig));
  EXPECT_FALSE(Ed25519Verify(key, message + "x", sig));
  Ed25519Signature bad = sig;
  bad.bytes[63] ^= 0x01;
  EXPECT_FALSE(Ed25519Verify(key, message, bad));
  Ed25519PublicKey other = *Ed25519PublicKey::FromHex(vectors[0].public_key);
  EXPECT_FALSE(Ed25519Verify(other, message, sig));
  Ed25519PublicKey zero;  // not a valid point encoding of a usable key
  EXPECT_FALSE(Ed25519Verify(zero, message, sig));
}

TEST(Ed25519Test, HexRoundTripAndRejects) {
  EXPECT_FALSE(Ed25519PublicKey::FromHex("00"));
  EXPECT_FALSE(Ed25519PublicKey::FromHex(std::string(64, 'g')));
  EXPECT_FALSE(Ed25519Signature::FromHex(std::string(64, '0')));
  Ed25519PublicKey k;
  k.bytes[0] = 0xab;
  EXPECT_EQ(k, *Ed25519PublicKey::FromHex(k.Hex()));
}

}  // namespace
}  // namespace kiroku::integrity::signing

#include "integrity/hash.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <ctime>
#include <string>

#include "integrity/internal/sha256.h"

namespace kiroku::integrity {
namespace {

// Thread CPU time: the machine is shared, so wall time would measure the neighbours.
double CpuSeconds() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

TEST(HashTest, Sha256KnownAnswers) {
  // FIPS 180-2 appendix B.1 and the empty string.
  EXPECT_EQ(Sha256("abc").Hex(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256("").Hex(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(HashEmpty(), Sha256(""));
}

TEST(HashTest, PrefixesAreRfc9162) {
  EXPECT_EQ(HashLeaf("x"), Sha256(std::string("\x00x", 2)));
  Hash l = Sha256("l");
  Hash r = Sha256("r");
  EXPECT_EQ(HashChildren(l, r), Sha256("\x01" + std::string(l.View()) + std::string(r.View())));
  // RFC 6962 vector: the leaf hash of the empty leaf.
  EXPECT_EQ(HashLeaf("").Hex(), "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
}

TEST(HashTest, StreamEqualsOneShot) {
  std::string data(1000, 'q');
  for (size_t cut : {0, 1, 63, 64, 65, 999, 1000}) {
    internal::Sha256Stream s;
    s.Update(std::string_view(data).substr(0, cut));
    s.Update(std::string_view(data).substr(cut));
    EXPECT_EQ(s.Finish(), Sha256(data)) << cut;
  }
}

TEST(HashTest, HexRoundTrip) {
  Hash h = Sha256("abc");
  EXPECT_EQ(Hash::FromHex(h.Hex()), h);
  std::string upper = h.Hex();
  for (char& c : upper) c = static_cast<char>(toupper(c));
  EXPECT_EQ(Hash::FromHex(upper), h);
  EXPECT_FALSE(Hash::FromHex(h.Hex().substr(1)).has_value());
  EXPECT_FALSE(Hash::FromHex(h.Hex() + "0").has_value());
  EXPECT_FALSE(Hash::FromHex(std::string(64, 'g')).has_value());
  EXPECT_FALSE(Hash::FromHex("").has_value());
}

TEST(HashTest, Base64RoundTrip) {
  // The empty-tree hash in base64, as in CT's get-sth JSON for an empty log.
  EXPECT_EQ(HashEmpty().Base64(), "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
  for (int i = 0; i < 100; ++i) {
    Hash h = Sha256(std::to_string(i));
    EXPECT_EQ(h.Base64().size(), 44u);
    EXPECT_EQ(Hash::FromBase64(h.Base64()), h);
  }
  EXPECT_FALSE(Hash::FromBase64("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU").has_value());
  EXPECT_FALSE(Hash::FromBase64("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFV=").has_value());
  EXPECT_FALSE(Hash::FromBase64("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSu*U=").has_value());
}

// Not a benchmark target (the brief keeps benchmarks out of the default build): prints the
// leaf-hash throughput for ~300-byte records so the number shows up in test logs. Asserts
// nothing; debug builds are slower than release, but the SHA-256 itself is OpenSSL's.
TEST(HashTest, LeafHashThroughputPrintsMBps) {
  std::string rec(300, 'x');
  const int kIterations = 200000;
  Hash acc;
  double start = CpuSeconds();
  for (int i = 0; i < kIterations; ++i) {
    rec[i % rec.size()] = static_cast<char>(i);
    acc = HashLeaf(rec);
  }
  double secs = CpuSeconds() - start;
  std::printf("HashLeaf, 300-byte records: %.0f MB/s (%.0f ns/record)\n",
              kIterations * 300.0 / secs / 1e6, secs * 1e9 / kIterations);
  EXPECT_NE(acc, Hash{});
}

}  // namespace
}  // namespace kiroku::integrity

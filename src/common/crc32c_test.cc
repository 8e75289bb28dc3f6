#include "common/crc32c.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>

namespace kiroku::crc32c {
namespace {

struct Impl {
  const char* name;
  uint32_t (*extend)(uint32_t, const char*, size_t);
};

std::vector<Impl> Impls() {
  std::vector<Impl> v = {{"portable", &internal::ExtendPortable}, {"dispatch", &Extend}};
  if (internal::HaveSse42()) v.push_back({"sse42", &internal::ExtendSse42});
  return v;
}

// RFC 3720 (iSCSI), appendix B.4.
TEST(Crc32cTest, Rfc3720Vectors) {
  for (const Impl& impl : Impls()) {
    SCOPED_TRACE(impl.name);
    char buf[32];
    std::memset(buf, 0, sizeof buf);
    EXPECT_EQ(0x8A9136AAu, impl.extend(0, buf, sizeof buf));
    std::memset(buf, 0xff, sizeof buf);
    EXPECT_EQ(0x62A8AB43u, impl.extend(0, buf, sizeof buf));
    for (int i = 0; i < 32; ++i) buf[i] = static_cast<char>(i);
    EXPECT_EQ(0x46DD794Eu, impl.extend(0, buf, sizeof buf));
    for (int i = 0; i < 32; ++i) buf[i] = static_cast<char>(31 - i);
    EXPECT_EQ(0x113FDB5Cu, impl.extend(0, buf, sizeof buf));
  }
}

TEST(Crc32cTest, CheckValue) {
  for (const Impl& impl : Impls()) {
    SCOPED_TRACE(impl.name);
    EXPECT_EQ(0xE3069283u, impl.extend(0, "123456789", 9));
    EXPECT_EQ(0u, impl.extend(0, "", 0));
  }
}

TEST(Crc32cTest, ExtendEqualsWhole) {
  const std::string s = "hello world, this is a journal frame of some length";
  for (const Impl& impl : Impls()) {
    SCOPED_TRACE(impl.name);
    uint32_t whole = impl.extend(0, s.data(), s.size());
    for (size_t cut = 0; cut <= s.size(); ++cut) {
      uint32_t a = impl.extend(0, s.data(), cut);
      EXPECT_EQ(whole, impl.extend(a, s.data() + cut, s.size() - cut)) << cut;
    }
  }
}

TEST(Crc32cTest, FastEqualsPortableOnRandomBuffers) {
  if (!internal::HaveSse42()) GTEST_SKIP() << "no SSE4.2 on this CPU";
  std::mt19937_64 rng(42);
  std::string buf(70000, '\0');
  for (char& c : buf) c = static_cast<char>(rng());
  for (int i = 0; i < 500; ++i) {
    size_t off = rng() % 64;  // every alignment
    size_t len = rng() % (buf.size() - off);
    if (i < 100) len = i;  // all short lengths
    uint32_t init = static_cast<uint32_t>(rng());
    ASSERT_EQ(internal::ExtendPortable(init, buf.data() + off, len),
              internal::ExtendSse42(init, buf.data() + off, len))
        << "off=" << off << " len=" << len;
  }
}

TEST(Crc32cTest, MaskRoundTripsAndChangesValue) {
  uint32_t crc = Value("foo", 3);
  EXPECT_NE(crc, Mask(crc));
  EXPECT_NE(crc, Mask(Mask(crc)));
  EXPECT_EQ(crc, Unmask(Mask(crc)));
  EXPECT_EQ(crc, Unmask(Unmask(Mask(Mask(crc)))));
}

TEST(Crc32cTest, DiffersForDifferentData) { EXPECT_NE(Value("a", 1), Value("foo", 3)); }

}  // namespace
}  // namespace kiroku::crc32c

#include "segment/internal/compress.h"

#include <gtest/gtest.h>

#include <string>

namespace kiroku::segment::internal {
namespace {

// Above the single-call limit (4 MiB): the streaming path.
std::string Large(const std::string& content) {
  std::string large;
  while (large.size() <= (4u << 20)) large += content;
  return large;
}

std::string DictionaryContent() {
  std::string content;
  for (int i = 0; content.size() < 64 * 1024; ++i) {
    content += "dictionary content " + std::to_string(i * 7919 % 100'003) + " ";
  }
  return content;
}

TEST(DecompressExactTest, SmallAndLargeFramesRoundTripWithAndWithoutDictionary) {
  const std::string content = DictionaryContent();
  ZSTD_DDict* dict = ZSTD_createDDict(content.data(), content.size());
  ASSERT_NE(nullptr, dict);
  Compressor with(3), plain(3);
  ASSERT_TRUE(with.SetDictionary(content));
  const std::string large = Large(content);
  const std::string small = content.substr(1000, 20'000);
  for (const std::string* body : {&small, &large}) {
    std::string z, out;
    ASSERT_TRUE(with.Compress(*body, &z));
    EXPECT_TRUE(DecompressExact(z, body->size(), &out, dict));
    EXPECT_EQ(*body, out);
    ASSERT_TRUE(plain.Compress(*body, &z));
    EXPECT_TRUE(DecompressExact(z, body->size(), &out));
    EXPECT_EQ(*body, out);
    EXPECT_FALSE(DecompressExact(z, body->size() - 1, &out));
    EXPECT_TRUE(out.empty());
  }
  ZSTD_freeDDict(dict);
}

// The context is per thread and reused. A large frame decompressed against a dictionary must
// not leave that dictionary in the context: a later call without one would decode with it (and
// the dictionary may have been freed with its segment by then).
TEST(DecompressExactTest, NoDictionaryIsLeftBehindForTheNextCall) {
  const std::string content = DictionaryContent();
  ZSTD_DDict* dict = ZSTD_createDDict(content.data(), content.size());
  ASSERT_NE(nullptr, dict);
  Compressor with(3);
  ASSERT_TRUE(with.SetDictionary(content));
  const std::string large = Large(content);
  std::string z, out;
  ASSERT_TRUE(with.Compress(large, &z));
  ASSERT_TRUE(DecompressExact(z, large.size(), &out, dict));

  // A frame that needs the dictionary, decompressed without it, small and large: refused.
  const std::string small = content.substr(1000, 20'000);
  ASSERT_TRUE(with.Compress(small, &z));
  EXPECT_FALSE(DecompressExact(z, small.size(), &out));
  ASSERT_TRUE(with.Compress(large, &z));
  EXPECT_FALSE(DecompressExact(z, large.size(), &out));
  ZSTD_freeDDict(dict);
}

}  // namespace
}  // namespace kiroku::segment::internal

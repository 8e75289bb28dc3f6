#include "ingest/framer.h"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

namespace kiroku::ingest {
namespace {

using namespace std::string_literals;

struct Got {
  std::string bytes;
  uint64_t original_length;
  bool truncated;
  bool framing_error;
  bool operator==(const Got&) const = default;
};

void PrintTo(const Got& g, std::ostream* os) {
  *os << "{'" << g.bytes << "', " << g.original_length << ", " << g.truncated << ", "
      << g.framing_error << "}";
}

// Feeds `input` in pieces of `chunk` bytes (0 = all at once), then finishes.
std::vector<Got> Frames(const std::string& input, size_t max_frame, size_t chunk = 0,
                        bool finish = true) {
  Framer f(max_frame);
  std::vector<Got> out;
  auto emit = [&](const Framer::Frame& fr) {
    out.push_back({std::string(fr.bytes), fr.original_length, fr.truncated, fr.framing_error});
  };
  if (chunk == 0) chunk = input.empty() ? 1 : input.size();
  for (size_t i = 0; i < input.size(); i += chunk) {
    f.Feed(std::string_view(input).substr(i, chunk), emit);
  }
  if (finish) f.Finish(emit);
  return out;
}

const size_t kChunks[] = {0, 1, 2, 3, 7, 13};

TEST(FramerTest, LineFramingEndsAtLfCrlfAndNul) {
  std::vector<Got> want = {{"<13>a", 5, false, false},
                           {"<13>b", 5, false, false},
                           {"<13>c", 5, false, false},
                           {"<13>d", 5, false, false}};
  for (size_t chunk : kChunks) {
    EXPECT_EQ(Frames("<13>a\n<13>b\r\n<13>c\0<13>d"s, 100, chunk), want) << chunk;
  }
}

TEST(FramerTest, BlankLinesAreNotMessages) {
  std::vector<Got> want = {{"<13>a", 5, false, false}};
  for (size_t chunk : kChunks) EXPECT_EQ(Frames("\n\r\n<13>a\n\n", 100, chunk), want);
}

TEST(FramerTest, LastLineWithoutLfIsEmittedAtFinish) {
  EXPECT_EQ(Frames("<13>a\n<13>tail", 100, 0, false),
            (std::vector<Got>{{"<13>a", 5, false, false}}));
  EXPECT_EQ(Frames("<13>a\n<13>tail", 100),
            (std::vector<Got>{{"<13>a", 5, false, false}, {"<13>tail", 8, false, false}}));
}

TEST(FramerTest, CrInsideLineIsKept) {
  EXPECT_EQ(Frames("<13>a\rb\n", 100), (std::vector<Got>{{"<13>a\rb", 7, false, false}}));
}

TEST(FramerTest, LongLineIsTruncatedAndRestDiscarded) {
  std::string line(100, 'x');
  std::vector<Got> want = {{std::string(10, 'x'), 100, true, false}, {"<13>next", 8, false, false}};
  for (size_t chunk : kChunks) EXPECT_EQ(Frames(line + "\n<13>next\n", 10, chunk), want) << chunk;
}

TEST(FramerTest, OctetCountingKeepsNewlinesInsideOneFrame) {
  std::string msg = "<13>1 - - - - - line1\n<13>forged";
  std::string input = std::to_string(msg.size()) + " " + msg + "5 <13>x";
  std::vector<Got> want = {{msg, msg.size(), false, false}, {"<13>x", 5, false, false}};
  for (size_t chunk : kChunks) EXPECT_EQ(Frames(input, 1000, chunk), want) << chunk;
}

TEST(FramerTest, LineFramedDigitsAreNotCounts) {
  // A line-framed connection stays line framed: a later line starting with digits is a line.
  std::vector<Got> want = {{"<13>a", 5, false, false}, {"12 <13>b", 8, false, false}};
  EXPECT_EQ(Frames("<13>a\n12 <13>b\n", 100), want);
}

TEST(FramerTest, OctetCountedFrameLongerThanMaxIsTruncated) {
  std::string body(50, 'y');
  std::string input = "50 " + body + "3 abc";
  std::vector<Got> want = {{std::string(20, 'y'), 50, true, false}, {"abc", 3, false, false}};
  for (size_t chunk : kChunks) EXPECT_EQ(Frames(input, 20, chunk), want) << chunk;
}

TEST(FramerTest, AbsurdCountIsTruncatedNotBuffered) {
  Framer f(16);
  std::vector<Got> out;
  auto emit = [&](const Framer::Frame& fr) {
    out.push_back({std::string(fr.bytes), fr.original_length, fr.truncated, fr.framing_error});
  };
  f.Feed("9999999999 ", emit);
  std::string chunk(1 << 16, 'z');
  for (int i = 0; i < 16; ++i) f.Feed(chunk, emit);
  EXPECT_LE(f.buffered(), 16u);  // memory stays bounded by max_frame
  EXPECT_TRUE(out.empty());
  f.Finish(emit);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0], (Got{std::string(16, 'z'), 9999999999ull, true, false}));
}

TEST(FramerTest, ElevenDigitCountIsFramingErrorAndFallsBackToLines) {
  std::vector<Got> want = {{"99999999999 <13>a", 17, false, true}, {"<13>b", 5, false, false}};
  for (size_t chunk : kChunks) {
    Framer f(100);
    std::vector<Got> out;
    auto emit = [&](const Framer::Frame& fr) {
      out.push_back({std::string(fr.bytes), fr.original_length, fr.truncated, fr.framing_error});
    };
    std::string input = "99999999999 <13>a\n<13>b\n";
    size_t c = chunk ? chunk : input.size();
    for (size_t i = 0; i < input.size(); i += c) f.Feed(std::string_view(input).substr(i, c), emit);
    f.Finish(emit);
    EXPECT_EQ(out, want) << chunk;
    EXPECT_EQ(f.framing_errors(), 1u);
  }
}

TEST(FramerTest, NonDigitInCountIsFramingError) {
  std::vector<Got> want = {{"abc", 3, false, false}, {"12x <13>junk", 12, false, true}};
  EXPECT_EQ(Frames("3 abc12x <13>junk\n", 100), want);
}

TEST(FramerTest, GarbageAfterOctetFrameIsFramingError) {
  std::vector<Got> want = {{"abc", 3, false, false}, {"<13>plain", 9, false, true}};
  EXPECT_EQ(Frames("3 abc<13>plain\n", 100), want);
}

TEST(FramerTest, LeadingZeroCountIsFramingError) {
  std::vector<Got> want = {{"0 x", 3, false, true}};
  EXPECT_EQ(Frames("0 x\n", 100), want);
}

TEST(FramerTest, ShortOctetFrameAtEofIsKeptTruncated) {
  EXPECT_EQ(Frames("10 abc", 100), (std::vector<Got>{{"abc", 10, true, false}}));
}

TEST(FramerTest, DanglingCountAtEofIsKeptAsFramingError) {
  EXPECT_EQ(Frames("3 abc12", 100),
            (std::vector<Got>{{"abc", 3, false, false}, {"12", 2, false, true}}));
}

// Found by fuzz/framer_fuzz.cc: the dangling digits obey max_frame like every other frame.
TEST(FramerTest, DanglingCountLongerThanMaxFrameIsTruncated) {
  EXPECT_EQ(Frames("444", 1), (std::vector<Got>{{"4", 3, true, true}}));
}

TEST(FramerTest, NulInsideOctetFrameStays) {
  std::string msg = "a\0b"s;
  EXPECT_EQ(Frames("3 " + msg, 100), (std::vector<Got>{{msg, 3, false, false}}));
}

TEST(FramerTest, FinishResetsForNextConnection) {
  Framer f(100);
  std::vector<std::string> out;
  auto emit = [&](const Framer::Frame& fr) { out.emplace_back(fr.bytes); };
  f.Feed("3 abc", emit);
  f.Finish(emit);
  EXPECT_EQ(f.mode(), Framer::Mode::kDetect);
  f.Feed("<13>line\n", emit);
  EXPECT_EQ(out, (std::vector<std::string>{"abc", "<13>line"}));
}

}  // namespace
}  // namespace kiroku::ingest

#include "integrity/leaf.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>
#include <string>

namespace kiroku::integrity {
namespace {

// Thread CPU time: the machine is shared, so wall time would measure the neighbours.
double CpuSeconds() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// The worked example of docs/formats/merkle.md ("Worked example").
RecordView ExampleRecord() {
  RecordView r;
  r.seq = SeqNo{4711};
  r.receive_time_ns = 1718101234567890123;  // 2024-06-11T10:20:34.567890123Z
  r.transport = Transport::kUdp;
  r.peer.family = 4;
  r.peer.addr = {192, 0, 2, 1};
  r.peer.port = 514;
  r.flags = kFlagTruncated | kFlagParseError;
  r.original_length = 200;
  r.raw = "<13>Jun 11 10:20:34 gw1 app: hello";
  return r;
}

// Reads the hex dump ("0000: 01 00 ...") and the "leaf hash: ..." line from the example
// block of the format document, so that the document cannot drift from the code.
void ReadDocExample(std::string* bytes, std::string* leaf_hash_hex) {
  std::ifstream in(std::string(KIROKU_SOURCE_DIR) + "/docs/formats/merkle.md");
  ASSERT_TRUE(in.good());
  std::string line;
  bool in_block = false;
  while (std::getline(in, line)) {
    if (line == "```leaf-example") {
      in_block = true;
      continue;
    }
    if (!in_block) continue;
    if (line == "```") break;
    if (line.rfind("leaf hash: ", 0) == 0) {
      *leaf_hash_hex = line.substr(11);
      continue;
    }
    auto colon = line.find(": ");
    if (colon != 4) continue;
    std::istringstream hex(line.substr(6));
    std::string byte;
    while (hex >> byte) bytes->push_back(static_cast<char>(std::stoi(byte, nullptr, 16)));
  }
}

TEST(LeafTest, MatchesWorkedExampleInFormatDoc) {
  std::string doc_bytes, doc_hash;
  ReadDocExample(&doc_bytes, &doc_hash);
  ASSERT_EQ(doc_bytes.size(), kLeafHeaderSize + 34);
  std::string enc;
  EncodeLeaf(ExampleRecord(), &enc);
  EXPECT_EQ(enc, doc_bytes);
  std::string scratch;
  EXPECT_EQ(LeafHashOf(ExampleRecord(), &scratch).Hex(), doc_hash);
  EXPECT_EQ(scratch, enc);
}

TEST(LeafTest, EveryEvidenceFieldChangesTheHash) {
  std::string scratch;
  const Hash base = LeafHashOf(ExampleRecord(), &scratch);
  auto differs = [&](auto mutate) {
    RecordView r = ExampleRecord();
    std::string raw(r.raw);
    r.raw = raw;
    mutate(r, raw);
    return LeafHashOf(r, &scratch) != base;
  };
  EXPECT_TRUE(differs([](RecordView& r, std::string&) { r.seq.value++; }));
  EXPECT_TRUE(differs([](RecordView& r, std::string&) { r.receive_time_ns++; }));
  EXPECT_TRUE(differs([](RecordView& r, std::string&) { r.transport = Transport::kTcp; }));
  EXPECT_TRUE(differs([](RecordView& r, std::string&) { r.peer.family = 6; }));
  EXPECT_TRUE(differs([](RecordView& r, std::string&) { r.peer.addr[15] = 1; }));
  EXPECT_TRUE(differs([](RecordView& r, std::string&) { r.peer.port++; }));
  EXPECT_TRUE(differs([](RecordView& r, std::string&) { r.flags &= ~kFlagTruncated; }));
  EXPECT_TRUE(differs([](RecordView& r, std::string&) { r.flags |= kFlagFramingError; }));
  EXPECT_TRUE(differs([](RecordView& r, std::string&) { r.original_length++; }));
  EXPECT_TRUE(differs([](RecordView& r, std::string& raw) {
    raw[5] ^= 1;
    r.raw = raw;
  }));
  EXPECT_TRUE(
      differs([](RecordView& r, std::string& raw) { r.raw = std::string_view(raw).substr(1); }));
}

TEST(LeafTest, DerivedDataDoesNotChangeTheHash) {
  std::string scratch;
  const Hash base = LeafHashOf(ExampleRecord(), &scratch);
  RecordView r = ExampleRecord();
  r.flags &= ~kFlagParseError;
  EXPECT_EQ(LeafHashOf(r, &scratch), base);
  r.flags |= 1u << 9;  // future non-evidence flags are outside the hash too
  EXPECT_EQ(LeafHashOf(r, &scratch), base);
  r.header.format = SyslogFormat::kRfc3164;
  r.header.severity = 5;
  r.header.host = Span{20, 3};
  r.header.msg = Span{29, 5};
  r.header.device_time_ns = 1;
  EXPECT_EQ(LeafHashOf(r, &scratch), base);
}

TEST(LeafTest, EmptyRawAndNegativeTime) {
  RecordView r;
  r.receive_time_ns = -1;
  std::string enc;
  EncodeLeaf(r, &enc);
  ASSERT_EQ(enc.size(), kLeafHeaderSize);
  EXPECT_EQ(enc.substr(9, 8), std::string(8, '\xff'));
  EXPECT_EQ(enc.substr(42, 4), std::string(4, '\0'));
}

// Prints (does not assert) the leaf-hash throughput of the ingest hot path: encode + hash of
// ~300-byte records, MB of raw log per second on one core.
TEST(LeafTest, LeafHashThroughputPrintsMBps) {
  std::string raw(300 - kLeafHeaderSize, 'm');
  RecordView r = ExampleRecord();
  r.raw = raw;
  std::string scratch;
  const int kIterations = 200000;
  Hash acc;
  double start = CpuSeconds();
  for (int i = 0; i < kIterations; ++i) {
    r.seq.value = i;
    acc = LeafHashOf(r, &scratch);
  }
  double secs = CpuSeconds() - start;
  std::printf("LeafHashOf, %zu-byte raw (+%zu header): %.0f MB/s of raw log (%.0f ns/record)\n",
              raw.size(), kLeafHeaderSize, kIterations * raw.size() / secs / 1e6,
              secs * 1e9 / kIterations);
  EXPECT_NE(acc, Hash{});
}

}  // namespace
}  // namespace kiroku::integrity

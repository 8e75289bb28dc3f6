#include "store/record_codec.h"

#include <gtest/gtest.h>

#include "common/crc32c.h"
#include "store/internal/coding.h"
#include "store/journal_format.h"
#include "store/store_test_util.h"

namespace kiroku::store {
namespace {

namespace j = journal;
using testing::SampleView;

std::string_view PayloadOf(const std::string& frame) {
  return std::string_view(frame).substr(j::kFrameHeaderSize);
}

void ExpectSameRecord(const RecordView& a, const RecordView& b) {
  EXPECT_EQ(a.seq, b.seq);
  EXPECT_EQ(a.receive_time_ns, b.receive_time_ns);
  EXPECT_EQ(a.transport, b.transport);
  EXPECT_EQ(a.peer, b.peer);
  EXPECT_EQ(a.flags, b.flags);
  EXPECT_EQ(a.original_length, b.original_length);
  EXPECT_EQ(a.header.format, b.header.format);
  EXPECT_EQ(a.header.facility, b.header.facility);
  EXPECT_EQ(a.header.severity, b.header.severity);
  EXPECT_EQ(a.header.device_time_ns, b.header.device_time_ns);
  EXPECT_EQ(a.header.device_time_zone_known, b.header.device_time_zone_known);
  EXPECT_EQ(a.header.parse_error, b.header.parse_error);
  EXPECT_EQ(a.header.host, b.header.host);
  EXPECT_EQ(a.header.app, b.header.app);
  EXPECT_EQ(a.header.procid, b.header.procid);
  EXPECT_EQ(a.header.msgid, b.header.msgid);
  EXPECT_EQ(a.header.structured_data, b.header.structured_data);
  EXPECT_EQ(a.header.msg, b.header.msg);
  EXPECT_EQ(a.raw, b.raw);
}

RecordView RoundTrip(const RecordView& in, uint64_t seq) {
  std::string frame;
  AppendFrame(in, &frame);
  EXPECT_EQ(1u, SealFrames(frame.data(), frame.size(), SeqNo{seq}));
  EXPECT_TRUE(FrameCrcOk(frame.data(), PayloadOf(frame)));
  static std::string keep;  // the view points into it
  keep = frame;
  RecordView out;
  Status s = DecodeRecord(PayloadOf(keep), &out);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return out;
}

TEST(RecordCodecTest, RoundTripsEveryFieldIpv4) {
  const std::string raw = "<165>1 2003-10-11T22:14:15.003Z host app 1234 ID47 [x@1 a=\"b\"] hi";
  RecordView in = SampleView(raw);
  in.header.procid = Span{10, 4};
  in.header.msgid = Span{15, 4};
  in.header.structured_data = Span{20, 11};
  in.header.parse_error = true;
  in.flags = kFlagParseError | kFlagTruncated;
  in.original_length = 99999;
  in.seq = SeqNo{7};
  ExpectSameRecord(in, RoundTrip(in, 7));
}

TEST(RecordCodecTest, RoundTripsIpv6AndNoPeerAndNegativeValues) {
  RecordView in = SampleView("x");
  in.peer.family = 6;
  for (int i = 0; i < 16; ++i) in.peer.addr[i] = static_cast<uint8_t>(0x20 + i);
  in.peer.port = 65535;
  in.seq = SeqNo{~0ull - 1};
  ExpectSameRecord(in, RoundTrip(in, ~0ull - 1));

  in.peer = PeerAddress{};
  in.transport = Transport::kImport;
  in.receive_time_ns = -1;  // before 1970: still representable
  in.header.facility = -1;
  in.header.severity = -1;
  in.header.device_time_ns = -123;
  in.seq = SeqNo{1};
  ExpectSameRecord(in, RoundTrip(in, 1));
}

TEST(RecordCodecTest, NullDeviceTimeIsNotZero) {
  RecordView in = SampleView("abc");
  in.header.device_time_ns.reset();
  in.header.device_time_zone_known = false;
  in.seq = SeqNo{3};
  RecordView out = RoundTrip(in, 3);
  EXPECT_FALSE(out.header.device_time_ns.has_value());
  ExpectSameRecord(in, out);
  in.header.device_time_ns = 0;  // the epoch itself is a real time
  EXPECT_EQ(std::optional<int64_t>(0), RoundTrip(in, 3).header.device_time_ns);
}

TEST(RecordCodecTest, EmptyRawAndHugeRaw) {
  RecordView in = SampleView("");
  in.seq = SeqNo{1};
  ExpectSameRecord(in, RoundTrip(in, 1));

  std::string big(1 << 20, '\0');
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 7);
  in = SampleView(big);
  in.seq = SeqNo{2};
  ExpectSameRecord(in, RoundTrip(in, 2));
}

TEST(RecordCodecTest, FrameLayoutIsAsDocumented) {
  RecordView in = SampleView("hello");
  std::string f;
  AppendFrame(in, &f);
  ASSERT_EQ(j::kFrameHeaderSize + j::kPayloadFixedSize + 5, f.size());
  EXPECT_EQ(j::kPayloadFixedSize + 5, internal::DecodeFixed32(f.data()));
  EXPECT_EQ(0u, internal::DecodeFixed32(f.data() + 4));   // CRC left for the writer
  EXPECT_EQ(0u, internal::DecodeFixed64(f.data() + 12));  // seq left for the writer
  EXPECT_EQ(1, f[8]);                                     // type kSyslog
  EXPECT_EQ(1, f[9]);                                     // version 1
  EXPECT_EQ("hello", f.substr(8 + 108));
  SealFrames(f.data(), f.size(), SeqNo{0x0102030405060708});
  EXPECT_EQ(0x0102030405060708u, internal::DecodeFixed64(f.data() + 12));
  uint32_t crc = crc32c::Value(f.data(), 4);              // covers the length field ...
  crc = crc32c::Extend(crc, f.data() + 8, f.size() - 8);  // ... and the payload
  EXPECT_EQ(crc32c::Mask(crc), internal::DecodeFixed32(f.data() + 4));
}

TEST(RecordCodecTest, SealFramesNumbersConsecutively) {
  std::string buf;
  for (size_t i = 0; i < 5; ++i) AppendFrame(SampleView(std::string(i * 3, 'a')), &buf);
  EXPECT_EQ(5u, SealFrames(buf.data(), buf.size(), SeqNo{100}));
  size_t pos = 0;
  for (uint64_t want = 100; want < 105; ++want) {
    uint32_t len = internal::DecodeFixed32(buf.data() + pos);
    std::string_view payload(buf.data() + pos + 8, len);
    EXPECT_TRUE(FrameCrcOk(buf.data() + pos, payload));
    EXPECT_EQ(SeqNo{want}, PayloadSeq(payload));
    pos += 8 + len;
  }
  EXPECT_EQ(buf.size(), pos);
}

TEST(RecordCodecTest, EveryFlippedBitIsCaught) {
  std::string f = testing::Frame(9, "short message");
  for (size_t byte = 0; byte < f.size(); ++byte) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string g = f;
      g[byte] = static_cast<char>(g[byte] ^ (1 << bit));
      uint32_t len = internal::DecodeFixed32(g.data());
      bool ok = len == g.size() - 8 && FrameCrcOk(g.data(), PayloadOf(g));
      ASSERT_FALSE(ok) << "byte " << byte << " bit " << bit;
    }
  }
}

TEST(RecordCodecTest, SpansOutsideRawAreStoredEmpty) {
  RecordView in = SampleView("0123456789");
  in.header.host = Span{8, 5};  // runs past the end
  in.header.app = Span{11, 0};  // starts past the end
  in.header.msg = Span{0, 10};  // exactly the whole
  in.seq = SeqNo{1};
  RecordView out = RoundTrip(in, 1);
  EXPECT_EQ(Span{}, out.header.host);
  EXPECT_EQ(Span{}, out.header.app);
  EXPECT_EQ((Span{0, 10}), out.header.msg);
}

TEST(RecordCodecTest, RawOverTheMaximumIsCutAndFlagged) {
  std::string big(j::kMaxRawSize + 10, 'z');
  RecordView in = SampleView(big);
  in.flags = 0;
  std::string f;
  AppendFrame(in, &f);
  SealFrames(f.data(), f.size(), SeqNo{1});
  RecordView out;
  ASSERT_TRUE(DecodeRecord(PayloadOf(f), &out).ok());
  EXPECT_EQ(j::kMaxRawSize, out.raw.size());
  EXPECT_TRUE(out.truncated());
  EXPECT_EQ(big.size(), out.original_length);
  EXPECT_EQ(j::kMaxPayloadSize, internal::DecodeFixed32(f.data()));
}

TEST(RecordCodecTest, DecodeRejectsMalformedPayloads) {
  std::string f = testing::Frame(1, "abcdef");
  std::string p(PayloadOf(f));
  RecordView out;
  EXPECT_EQ(Status::Code::kCorruption, DecodeRecord(p.substr(0, 50), &out).code());
  std::string q = p;
  q[j::kPayloadTypeOffset] = 2;
  EXPECT_EQ(Status::Code::kCorruption, DecodeRecord(q, &out).code());
  q = p;
  internal::EncodeFixed32(q.data() + j::kPayloadRawLengthOffset, 5);
  EXPECT_EQ(Status::Code::kCorruption, DecodeRecord(q, &out).code());
  q = p;
  q[j::kPayloadHeaderBitsOffset] = static_cast<char>(0x80);
  EXPECT_EQ(Status::Code::kCorruption, DecodeRecord(q, &out).code());
  q = p;
  internal::EncodeFixed32(q.data() + j::kPayloadSpansOffset, 7);  // host off 7 > 6
  EXPECT_EQ(Status::Code::kCorruption, DecodeRecord(q, &out).code());
  EXPECT_TRUE(DecodeRecord(p, &out).ok());
}

TEST(RecordCodecTest, PlausibilityCheckMatchesRealFrames) {
  std::string f = testing::Frame(1, "abcdef");
  uint32_t len = internal::DecodeFixed32(f.data());
  EXPECT_TRUE(PlausibleSyslogPayload(PayloadOf(f), len));
  EXPECT_FALSE(PlausibleSyslogPayload(PayloadOf(f), len + 1));
  EXPECT_FALSE(PlausibleSyslogPayload(std::string(200, '\0'), 200));
}

TEST(RecordBatchTest, AddAppendsOneFramePerRecord) {
  RecordBatch b;
  EXPECT_TRUE(b.empty());
  b.Add(SampleView("one"));
  b.Add(SampleView("three"));
  EXPECT_EQ(2u, b.count());
  EXPECT_EQ(2 * (j::kFrameHeaderSize + j::kPayloadFixedSize) + 8, b.bytes());
  b.Clear();
  EXPECT_EQ(0u, b.bytes());
  EXPECT_TRUE(b.empty());
}

}  // namespace
}  // namespace kiroku::store

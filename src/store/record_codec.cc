// Frame layout (see journal_format.h and docs/formats/journal.md):
//
//   0   length u32      payload bytes
//   4   masked_crc u32  crc32c(length ++ payload), masked
//   8   payload: type u8 | version u8 | flags u16 | seq u64 | receive_time i64 | transport u8
//                | peer_family u8 | peer_port u16 | peer_addr[16] | original_length u32
//                | format u8 | facility i8 | severity i8 | header_bits u8 | device_time i64
//                | 6 x (span_off u32, span_len u32) | raw_len u32 | raw[raw_len]
#include "store/record_codec.h"

#include <cstring>

#include "common/crc32c.h"
#include "store/internal/coding.h"
#include "store/journal_format.h"

namespace kiroku::store {
namespace {

using internal::DecodeFixed16;
using internal::DecodeFixed32;
using internal::DecodeFixed64;
using internal::EncodeFixed16;
using internal::EncodeFixed32;
using internal::EncodeFixed64;
namespace j = journal;

// The spans in their stored order.
Span SyslogHeader::*const kSpans[j::kSpanCount] = {&SyslogHeader::host,
                                                   &SyslogHeader::app,
                                                   &SyslogHeader::procid,
                                                   &SyslogHeader::msgid,
                                                   &SyslogHeader::structured_data,
                                                   &SyslogHeader::msg};

bool SpanInside(Span s, uint64_t raw_len) {
  return s.off <= raw_len && uint64_t{s.off} + s.len <= raw_len;
}

}  // namespace

void AppendFrame(const RecordView& r, std::string* dst) {
  std::string_view raw = r.raw;
  uint16_t flags = r.flags;
  if (raw.size() > j::kMaxRawSize) {
    raw = raw.substr(0, j::kMaxRawSize);
    flags |= kFlagTruncated;
  }
  const uint32_t raw_len = static_cast<uint32_t>(raw.size());

  // Fixed part on the stack, then one append of it and one of raw: no allocation beyond the
  // batch buffer's growth.
  char h[j::kFrameHeaderSize + j::kPayloadFixedSize] = {};
  EncodeFixed32(h + j::kFrameLengthOffset, raw_len + uint32_t{j::kPayloadFixedSize});
  char* p = h + j::kFrameHeaderSize;
  p[j::kPayloadTypeOffset] = static_cast<char>(j::RecordType::kSyslog);
  p[j::kPayloadVersionOffset] = static_cast<char>(j::kSyslogRecordVersion);
  EncodeFixed16(p + j::kPayloadFlagsOffset, flags);
  EncodeFixed64(p + j::kPayloadReceiveTimeOffset, static_cast<uint64_t>(r.receive_time_ns));
  p[j::kPayloadTransportOffset] = static_cast<char>(r.transport);
  p[j::kPayloadPeerFamilyOffset] = static_cast<char>(r.peer.family);
  EncodeFixed16(p + j::kPayloadPeerPortOffset, r.peer.port);
  std::memcpy(p + j::kPayloadPeerAddrOffset, r.peer.addr.data(), r.peer.addr.size());
  EncodeFixed32(p + j::kPayloadOriginalLengthOffset, r.original_length);
  const SyslogHeader& hd = r.header;
  p[j::kPayloadFormatOffset] = static_cast<char>(hd.format);
  p[j::kPayloadFacilityOffset] = static_cast<char>(hd.facility);
  p[j::kPayloadSeverityOffset] = static_cast<char>(hd.severity);
  uint8_t bits = 0;
  if (hd.device_time_ns.has_value()) {
    bits |= j::kHeaderBitDeviceTime;
    EncodeFixed64(p + j::kPayloadDeviceTimeOffset, static_cast<uint64_t>(*hd.device_time_ns));
  }
  if (hd.device_time_zone_known) bits |= j::kHeaderBitZoneKnown;
  if (hd.parse_error) bits |= j::kHeaderBitParseError;
  p[j::kPayloadHeaderBitsOffset] = static_cast<char>(bits);
  for (size_t i = 0; i < j::kSpanCount; ++i) {
    Span s = hd.*kSpans[i];
    if (!SpanInside(s, raw_len)) s = Span{};
    EncodeFixed32(p + j::kPayloadSpansOffset + 8 * i, s.off);
    EncodeFixed32(p + j::kPayloadSpansOffset + 8 * i + 4, s.len);
  }
  EncodeFixed32(p + j::kPayloadRawLengthOffset, raw_len);
  dst->append(h, sizeof h);
  dst->append(raw);
}

uint64_t SealFrames(char* buf, size_t n, SeqNo first) {
  uint64_t count = 0;
  size_t pos = 0;
  while (pos < n) {
    char* frame = buf + pos;
    uint32_t len = DecodeFixed32(frame + j::kFrameLengthOffset);
    char* payload = frame + j::kFrameHeaderSize;
    EncodeFixed64(payload + j::kPayloadSeqOffset, first.value + count);
    uint32_t crc = FrameCrc(std::string_view(payload, len));
    EncodeFixed32(frame + j::kFrameCrcOffset, crc32c::Mask(crc));
    pos += j::kFrameHeaderSize + len;
    ++count;
  }
  return count;
}

uint32_t FrameCrc(std::string_view payload) {
  char len[4];
  EncodeFixed32(len, static_cast<uint32_t>(payload.size()));
  uint32_t crc = crc32c::Value(len, sizeof len);
  return crc32c::Extend(crc, payload.data(), payload.size());
}

bool FrameCrcOk(const char* frame_header, std::string_view payload) {
  if (DecodeFixed32(frame_header + j::kFrameLengthOffset) != payload.size()) return false;
  uint32_t stored = crc32c::Unmask(DecodeFixed32(frame_header + j::kFrameCrcOffset));
  return stored == FrameCrc(payload);
}

uint8_t PayloadType(std::string_view payload) {
  return static_cast<uint8_t>(payload[j::kPayloadTypeOffset]);
}
uint8_t PayloadVersion(std::string_view payload) {
  return static_cast<uint8_t>(payload[j::kPayloadVersionOffset]);
}
SeqNo PayloadSeq(std::string_view payload) {
  return SeqNo{DecodeFixed64(payload.data() + j::kPayloadSeqOffset)};
}

bool PlausibleSyslogPayload(std::string_view prefix, uint32_t length) {
  if (length < j::kPayloadFixedSize || prefix.size() < j::kPayloadFixedSize) return false;
  return PayloadType(prefix) == static_cast<uint8_t>(j::RecordType::kSyslog) &&
         PayloadVersion(prefix) == j::kSyslogRecordVersion &&
         DecodeFixed32(prefix.data() + j::kPayloadRawLengthOffset) == length - j::kPayloadFixedSize;
}

Status DecodeRecord(std::string_view payload, RecordView* out) {
  if (payload.size() < j::kPayloadFixedSize) {
    return Status::Corruption("payload of " + std::to_string(payload.size()) +
                              " bytes is shorter than a record");
  }
  const char* p = payload.data();
  if (PayloadType(payload) != static_cast<uint8_t>(j::RecordType::kSyslog) ||
      PayloadVersion(payload) != j::kSyslogRecordVersion) {
    return Status::Corruption("not a syslog record (type " + std::to_string(PayloadType(payload)) +
                              " version " + std::to_string(PayloadVersion(payload)) + ")");
  }
  const uint32_t raw_len = DecodeFixed32(p + j::kPayloadRawLengthOffset);
  if (raw_len != payload.size() - j::kPayloadFixedSize) {
    return Status::Corruption("raw length " + std::to_string(raw_len) +
                              " does not match the frame");
  }
  const uint8_t bits = static_cast<uint8_t>(p[j::kPayloadHeaderBitsOffset]);
  if ((bits & ~j::kHeaderBitsKnown) != 0) {
    return Status::Corruption("unknown header bits " + std::to_string(bits));
  }
  RecordView r;
  r.seq = SeqNo{DecodeFixed64(p + j::kPayloadSeqOffset)};
  r.flags = DecodeFixed16(p + j::kPayloadFlagsOffset);
  r.receive_time_ns = static_cast<int64_t>(DecodeFixed64(p + j::kPayloadReceiveTimeOffset));
  r.transport = static_cast<Transport>(p[j::kPayloadTransportOffset]);
  r.peer.family = static_cast<uint8_t>(p[j::kPayloadPeerFamilyOffset]);
  r.peer.port = DecodeFixed16(p + j::kPayloadPeerPortOffset);
  std::memcpy(r.peer.addr.data(), p + j::kPayloadPeerAddrOffset, r.peer.addr.size());
  r.original_length = DecodeFixed32(p + j::kPayloadOriginalLengthOffset);
  SyslogHeader& h = r.header;
  h.format = static_cast<SyslogFormat>(p[j::kPayloadFormatOffset]);
  h.facility = static_cast<int8_t>(p[j::kPayloadFacilityOffset]);
  h.severity = static_cast<int8_t>(p[j::kPayloadSeverityOffset]);
  if ((bits & j::kHeaderBitDeviceTime) != 0) {
    h.device_time_ns = static_cast<int64_t>(DecodeFixed64(p + j::kPayloadDeviceTimeOffset));
  }
  h.device_time_zone_known = (bits & j::kHeaderBitZoneKnown) != 0;
  h.parse_error = (bits & j::kHeaderBitParseError) != 0;
  for (size_t i = 0; i < j::kSpanCount; ++i) {
    Span s{DecodeFixed32(p + j::kPayloadSpansOffset + 8 * i),
           DecodeFixed32(p + j::kPayloadSpansOffset + 8 * i + 4)};
    if (!SpanInside(s, raw_len)) return Status::Corruption("span outside the raw bytes");
    h.*kSpans[i] = s;
  }
  r.raw = payload.substr(j::kPayloadFixedSize);
  *out = r;
  return Status::Ok();
}

}  // namespace kiroku::store

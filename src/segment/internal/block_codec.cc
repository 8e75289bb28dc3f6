// Block body layout (docs/formats/segment.md):
//
//   body    = codec u8 (1) | 19 x stream-length varint | the 19 streams, in order
//   streams = flags, receive-time deltas, transport, peer family, peer mode, peer port,
//             peer address, original-length deltas, format, facility, severity, header bits,
//             device-time deltas, span offsets, span lengths, raw lengths, raw bytes,
//             extra lengths, extra bytes
//
// Type, version and seq of each payload are implicit (type 1, version 1, first + i).
#include "segment/internal/block_codec.h"

#include <array>
#include <cstring>

#include "segment/internal/format.h"
#include "store/internal/coding.h"
#include "store/journal_format.h"

namespace kiroku::segment::internal {
namespace {

namespace j = store::journal;
using store::internal::DecodeFixed16;
using store::internal::DecodeFixed32;
using store::internal::DecodeFixed64;
using store::internal::EncodeFixed16;
using store::internal::EncodeFixed32;
using store::internal::EncodeFixed64;

void PutU8(std::string* s, uint8_t v) { s->push_back(static_cast<char>(v)); }

uint8_t PeerMode(const char* addr) {
  bool tail_zero = true;
  for (int i = 4; i < 16; ++i) tail_zero = tail_zero && addr[i] == 0;
  if (!tail_zero) return 16;
  for (int i = 0; i < 4; ++i) {
    if (addr[i] != 0) return 4;
  }
  return 0;
}

}  // namespace

void EncodeBlockBody(const std::vector<std::string_view>& payloads,
                     const std::vector<std::string_view>& extras, std::string* body) {
  std::array<std::string, kStreamCount> s;
  const size_t n = payloads.size();
  size_t raw_total = 0;
  for (std::string_view p : payloads) raw_total += p.size() - j::kPayloadFixedSize;
  s[kStreamRaw].reserve(raw_total);
  bool any_extra = false;
  for (std::string_view e : extras) any_extra = any_extra || !e.empty();

  int64_t prev_recv = 0;
  for (size_t i = 0; i < n; ++i) {
    const char* p = payloads[i].data();
    const uint32_t raw_len = static_cast<uint32_t>(payloads[i].size() - j::kPayloadFixedSize);
    PutVarint64(&s[kStreamFlags], DecodeFixed16(p + j::kPayloadFlagsOffset));
    const auto recv = static_cast<int64_t>(DecodeFixed64(p + j::kPayloadReceiveTimeOffset));
    PutVarint64(&s[kStreamRecvDelta],
                ZigZag(static_cast<int64_t>(static_cast<uint64_t>(recv) -
                                            static_cast<uint64_t>(prev_recv))));
    prev_recv = recv;
    PutU8(&s[kStreamTransport], static_cast<uint8_t>(p[j::kPayloadTransportOffset]));
    PutU8(&s[kStreamPeerFamily], static_cast<uint8_t>(p[j::kPayloadPeerFamilyOffset]));
    const char* addr = p + j::kPayloadPeerAddrOffset;
    const uint8_t mode = PeerMode(addr);
    PutU8(&s[kStreamPeerMode], mode);
    s[kStreamPeerPort].append(p + j::kPayloadPeerPortOffset, 2);
    s[kStreamPeerAddr].append(addr, mode);
    const uint32_t orig = DecodeFixed32(p + j::kPayloadOriginalLengthOffset);
    PutVarint64(&s[kStreamOrigDelta], ZigZag(int64_t{orig} - int64_t{raw_len}));
    PutU8(&s[kStreamFormat], static_cast<uint8_t>(p[j::kPayloadFormatOffset]));
    PutU8(&s[kStreamFacility], static_cast<uint8_t>(p[j::kPayloadFacilityOffset]));
    PutU8(&s[kStreamSeverity], static_cast<uint8_t>(p[j::kPayloadSeverityOffset]));
    uint8_t bits = static_cast<uint8_t>(p[j::kPayloadHeaderBitsOffset]);
    const uint64_t dev = DecodeFixed64(p + j::kPayloadDeviceTimeOffset);
    // The stored value is kept even without its presence bit, so the bytes come back exactly.
    if ((bits & j::kHeaderBitDeviceTime) != 0 || dev != 0) {
      bits |= kBitsDevTimeStored;
      PutVarint64(&s[kStreamDevTime],
                  ZigZag(static_cast<int64_t>(dev - static_cast<uint64_t>(recv))));
    }
    PutU8(&s[kStreamBits], bits);
    uint64_t cursor = 0;
    for (size_t k = 0; k < j::kSpanCount; ++k) {
      const uint32_t off = DecodeFixed32(p + j::kPayloadSpansOffset + 8 * k);
      const uint32_t len = DecodeFixed32(p + j::kPayloadSpansOffset + 8 * k + 4);
      PutVarint64(&s[kStreamSpanOff], ZigZag(int64_t{off} - static_cast<int64_t>(cursor)));
      PutVarint64(&s[kStreamSpanLen], len);
      if (len != 0) cursor = uint64_t{off} + len;
    }
    PutVarint64(&s[kStreamRawLen], raw_len);
    s[kStreamRaw].append(payloads[i].substr(j::kPayloadFixedSize));
    if (any_extra) {
      PutVarint64(&s[kStreamExtraLen], extras[i].size());
      s[kStreamExtra].append(extras[i]);
    }
  }

  body->clear();
  size_t total = 1 + kStreamCount * 5;
  for (const auto& x : s) total += x.size();
  body->reserve(total);
  PutU8(body, kBlockCodecColumnar);
  for (const auto& x : s) PutVarint64(body, x.size());
  for (const auto& x : s) body->append(x);
}

bool DecodeBlockBody(std::string_view body, SeqNo first, uint32_t count, DecodedBlock* out,
                     std::string* why) {
  Cursor head(body);
  uint8_t codec = 0;
  if (!head.Byte(&codec) || codec != kBlockCodecColumnar) {
    *why = "unknown block codec " + std::to_string(codec);
    return false;
  }
  std::array<uint64_t, kStreamCount> len{};
  for (auto& l : len) {
    if (!head.Varint(&l)) {
      *why = "stream lengths cut short";
      return false;
    }
  }
  std::array<Cursor, kStreamCount> s;
  std::array<std::string_view, kStreamCount> bytes;
  for (size_t k = 0; k < kStreamCount; ++k) {
    if (!head.Bytes(len[k], &bytes[k])) {
      *why = "stream " + std::to_string(k) + " runs past the block";
      return false;
    }
    s[k] = Cursor(bytes[k]);
  }
  if (!head.AtEnd()) {
    *why = "bytes after the last stream";
    return false;
  }
  const bool has_extras = len[kStreamExtraLen] != 0;
  // Each record takes at least one byte of its flags stream: a cheap bound on `count` before
  // anything is allocated for it.
  if (count > len[kStreamFlags]) {
    *why = "block table count exceeds the records in the block";
    return false;
  }

  const uint64_t fixed_total = uint64_t{count} * j::kPayloadFixedSize;
  out->storage.assign(fixed_total + len[kStreamRaw] + len[kStreamExtra], '\0');
  out->payloads.clear();
  out->extras.clear();
  out->payloads.reserve(count);
  out->extras.reserve(count);
  char* base = out->storage.data();
  uint64_t payload_pos = 0;  // payloads are written fixed part then raw, one after another
  uint64_t extra_pos = fixed_total + len[kStreamRaw];
  int64_t prev_recv = 0;
  for (uint32_t i = 0; i < count; ++i) {
    uint64_t flags = 0, recv_delta = 0, orig_delta = 0, raw_len = 0;
    uint8_t transport = 0, family = 0, mode = 0, format = 0, facility = 0, severity = 0, bits = 0;
    std::string_view port, addr, raw;
    s[kStreamFlags].Varint(&flags);
    s[kStreamRecvDelta].Varint(&recv_delta);
    s[kStreamTransport].Byte(&transport);
    s[kStreamPeerFamily].Byte(&family);
    s[kStreamPeerMode].Byte(&mode);
    s[kStreamPeerPort].Bytes(2, &port);
    if (mode != 0 && mode != 4 && mode != 16) {
      *why = "record " + std::to_string(i) + ": bad peer mode";
      return false;
    }
    s[kStreamPeerAddr].Bytes(mode, &addr);
    s[kStreamOrigDelta].Varint(&orig_delta);
    s[kStreamFormat].Byte(&format);
    s[kStreamFacility].Byte(&facility);
    s[kStreamSeverity].Byte(&severity);
    s[kStreamBits].Byte(&bits);
    uint64_t dev_delta = 0;
    const bool dev_stored = (bits & kBitsDevTimeStored) != 0;
    if (dev_stored) s[kStreamDevTime].Varint(&dev_delta);
    bits &= static_cast<uint8_t>(~kBitsDevTimeStored);
    std::array<uint64_t, j::kSpanCount> span_off{}, span_len{};
    for (size_t k = 0; k < j::kSpanCount; ++k) {
      s[kStreamSpanOff].Varint(&span_off[k]);
      s[kStreamSpanLen].Varint(&span_len[k]);
    }
    s[kStreamRawLen].Varint(&raw_len);
    bool ok = true;
    for (const auto& c : s) ok = ok && c.ok();
    if (!ok || flags > 0xffff || raw_len > len[kStreamRaw]) {
      *why = "record " + std::to_string(i) + " is damaged";
      return false;
    }
    s[kStreamRaw].Bytes(raw_len, &raw);
    if (!s[kStreamRaw].ok() ||
        payload_pos + j::kPayloadFixedSize + raw_len > fixed_total + len[kStreamRaw]) {
      *why = "record " + std::to_string(i) + ": raw bytes run past the block";
      return false;
    }
    const int64_t recv = static_cast<int64_t>(static_cast<uint64_t>(prev_recv) +
                                              static_cast<uint64_t>(UnZigZag(recv_delta)));
    prev_recv = recv;
    const int64_t orig = static_cast<int64_t>(raw_len) + UnZigZag(orig_delta);
    if (orig < 0 || orig > int64_t{UINT32_MAX}) {
      *why = "record " + std::to_string(i) + ": bad original length";
      return false;
    }

    char* p = base + payload_pos;
    p[j::kPayloadTypeOffset] = static_cast<char>(j::RecordType::kSyslog);
    p[j::kPayloadVersionOffset] = static_cast<char>(j::kSyslogRecordVersion);
    EncodeFixed16(p + j::kPayloadFlagsOffset, static_cast<uint16_t>(flags));
    EncodeFixed64(p + j::kPayloadSeqOffset, first.value + i);
    EncodeFixed64(p + j::kPayloadReceiveTimeOffset, static_cast<uint64_t>(recv));
    p[j::kPayloadTransportOffset] = static_cast<char>(transport);
    p[j::kPayloadPeerFamilyOffset] = static_cast<char>(family);
    std::memcpy(p + j::kPayloadPeerPortOffset, port.data(), 2);
    std::memcpy(p + j::kPayloadPeerAddrOffset, addr.data(), addr.size());
    EncodeFixed32(p + j::kPayloadOriginalLengthOffset, static_cast<uint32_t>(orig));
    p[j::kPayloadFormatOffset] = static_cast<char>(format);
    p[j::kPayloadFacilityOffset] = static_cast<char>(facility);
    p[j::kPayloadSeverityOffset] = static_cast<char>(severity);
    p[j::kPayloadHeaderBitsOffset] = static_cast<char>(bits);
    EncodeFixed64(
        p + j::kPayloadDeviceTimeOffset,
        dev_stored ? static_cast<uint64_t>(recv) + static_cast<uint64_t>(UnZigZag(dev_delta)) : 0);
    uint64_t cursor = 0;
    for (size_t k = 0; k < j::kSpanCount; ++k) {
      const int64_t off = static_cast<int64_t>(cursor) + UnZigZag(span_off[k]);
      if (off < 0 || off > int64_t{UINT32_MAX} || span_len[k] > UINT32_MAX) {
        *why = "record " + std::to_string(i) + ": bad span";
        return false;
      }
      EncodeFixed32(p + j::kPayloadSpansOffset + 8 * k, static_cast<uint32_t>(off));
      EncodeFixed32(p + j::kPayloadSpansOffset + 8 * k + 4, static_cast<uint32_t>(span_len[k]));
      if (span_len[k] != 0) cursor = static_cast<uint64_t>(off) + span_len[k];
    }
    EncodeFixed32(p + j::kPayloadRawLengthOffset, static_cast<uint32_t>(raw_len));
    std::memcpy(p + j::kPayloadFixedSize, raw.data(), raw.size());
    out->payloads.emplace_back(p, j::kPayloadFixedSize + raw_len);
    payload_pos += j::kPayloadFixedSize + raw_len;

    if (has_extras) {
      uint64_t extra_len = 0;
      std::string_view extra;
      if (!s[kStreamExtraLen].Varint(&extra_len) || !s[kStreamExtra].Bytes(extra_len, &extra)) {
        *why = "record " + std::to_string(i) + ": extra runs past the block";
        return false;
      }
      std::memcpy(base + extra_pos, extra.data(), extra.size());
      out->extras.emplace_back(base + extra_pos, extra.size());
      extra_pos += extra.size();
    } else {
      out->extras.emplace_back();
    }
  }
  for (size_t k = 0; k < kStreamCount; ++k) {
    if (!s[k].AtEnd()) {
      *why = "stream " + std::to_string(k) + " has bytes left after the last record";
      return false;
    }
  }
  return true;
}

}  // namespace kiroku::segment::internal

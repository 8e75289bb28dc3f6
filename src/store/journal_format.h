// The journal's on-disk constants. docs/formats/journal.md describes the same bytes in prose
// with a grammar; keep the two in step.
//
// A segment file is a file header followed by frames:
//
//   segment = file-header *frame
//   file-header (40 bytes) = magic "KIROKUJ1" | version u32 | header_size u32 | first_seq u64
//                            | created_ns i64 | reserved u32 | masked_crc u32
//   frame = length u32 | masked_crc u32 | payload[length]
//
// All integers little-endian. The frame CRC is crc32c(length bytes ++ payload), masked.
#pragma once

#include <cstddef>
#include <cstdint>

namespace kiroku::store::journal {

// ---- Segment files ----
inline constexpr char kSegmentSuffix[] = ".journal";
inline constexpr size_t kSegmentNameDigits = 20;  // zero-padded decimal first seq

// ---- File header ----
inline constexpr char kMagic[8] = {'K', 'I', 'R', 'O', 'K', 'U', 'J', '1'};
inline constexpr uint32_t kFormatVersion = 1;
inline constexpr size_t kHeaderMagicOffset = 0;
inline constexpr size_t kHeaderVersionOffset = 8;
inline constexpr size_t kHeaderSizeOffset = 12;
inline constexpr size_t kHeaderFirstSeqOffset = 16;
inline constexpr size_t kHeaderCreatedOffset = 24;
inline constexpr size_t kHeaderReservedOffset = 32;
inline constexpr size_t kHeaderCrcOffset = 36;
inline constexpr size_t kFileHeaderSize = 40;

// ---- Frame ----
inline constexpr size_t kFrameLengthOffset = 0;
inline constexpr size_t kFrameCrcOffset = 4;
inline constexpr size_t kFrameHeaderSize = 8;

// ---- Payload ----
// The first two bytes of every payload say what it is, so later issues can add record types
// (self-audit, retention markers) without a new file format.
enum class RecordType : uint8_t {
  kSyslog = 1,  // a received message: RecordView
};
inline constexpr uint8_t kSyslogRecordVersion = 1;

// Layout of a kSyslog version 1 payload.
inline constexpr size_t kPayloadTypeOffset = 0;             // u8 RecordType
inline constexpr size_t kPayloadVersionOffset = 1;          // u8
inline constexpr size_t kPayloadFlagsOffset = 2;            // u16 RecordFlag bits
inline constexpr size_t kPayloadSeqOffset = 4;              // u64
inline constexpr size_t kPayloadReceiveTimeOffset = 12;     // i64 ns
inline constexpr size_t kPayloadTransportOffset = 20;       // u8
inline constexpr size_t kPayloadPeerFamilyOffset = 21;      // u8: 0, 4, 6
inline constexpr size_t kPayloadPeerPortOffset = 22;        // u16
inline constexpr size_t kPayloadPeerAddrOffset = 24;        // 16 bytes
inline constexpr size_t kPayloadOriginalLengthOffset = 40;  // u32
inline constexpr size_t kPayloadFormatOffset = 44;          // u8 SyslogFormat
inline constexpr size_t kPayloadFacilityOffset = 45;        // i8
inline constexpr size_t kPayloadSeverityOffset = 46;        // i8
inline constexpr size_t kPayloadHeaderBitsOffset = 47;      // u8, kHeaderBit*
inline constexpr size_t kPayloadDeviceTimeOffset = 48;      // i64 ns, 0 when absent
inline constexpr size_t kPayloadSpansOffset = 56;           // 6 x (u32 off, u32 len)
inline constexpr size_t kSpanCount = 6;  // host, app, procid, msgid, structured_data, msg
inline constexpr size_t kPayloadRawLengthOffset = 104;  // u32
inline constexpr size_t kPayloadFixedSize = 108;        // raw bytes follow

inline constexpr uint8_t kHeaderBitDeviceTime = 1u << 0;  // device_time_ns present
inline constexpr uint8_t kHeaderBitZoneKnown = 1u << 1;   // device_time_zone_known
inline constexpr uint8_t kHeaderBitParseError = 1u << 2;  // header.parse_error
inline constexpr uint8_t kHeaderBitsKnown = 0x07;

// Every record type starts its payload with the same 12 bytes (type, version, flags, seq), so
// the writer can stamp sequence numbers without knowing the type.
inline constexpr size_t kPayloadCommonPrefixSize = 12;

// A length field outside [kMinPayloadSize, kMaxPayloadSize] is damage, which is also how a
// zero-filled tail (length 0) is told from records.
inline constexpr uint32_t kMinPayloadSize = kPayloadCommonPrefixSize;
inline constexpr uint32_t kMaxPayloadSize = 16u << 20;
inline constexpr uint32_t kMaxRawSize = kMaxPayloadSize - kPayloadFixedSize;

}  // namespace kiroku::store::journal

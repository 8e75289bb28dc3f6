// The record: one received syslog message as kiroku keeps it.
//
// A record is the evidence (the raw bytes exactly as received, the receive time, the peer
// address, the transport, the sequence number) plus the result of parsing the syslog header on
// the hot path. Parsed fields are Spans into the raw bytes, so parsing never copies and the
// evidence is never changed. The journal (store/) encodes records; the query engine (query/)
// reads them back as RecordViews pointing into the journal's buffers.
//
//   RecordView r = ...;
//   std::string_view host = r.Field(r.header.host);
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kiroku {

// Sequence number: position of a record in the one global log, from 1. Strongly typed so it is
// never mixed up with counts, offsets or tree sizes.
struct SeqNo {
  uint64_t value = 0;
  friend constexpr auto operator<=>(SeqNo, SeqNo) = default;  // NOLINT(modernize-use-nullptr)
};

enum class Transport : uint8_t {
  kUnknown = 0,
  kUdp = 1,
  kTcp = 2,
  kTls = 3,
  kRelp = 4,
  kImport = 5,    // backfilled from files
  kInternal = 6,  // kiroku's own audit records
};
std::string_view TransportName(Transport t);  // "udp", "tcp", "tls", "relp", "import", ...
std::optional<Transport> TransportFromName(std::string_view name);

// The sending socket's address. family 0 means "no network peer" (import, internal).
struct PeerAddress {
  uint8_t family = 0;              // 0, 4 or 6
  std::array<uint8_t, 16> addr{};  // IPv4 in the first 4 bytes
  uint16_t port = 0;
  std::string ToString() const;       // "192.0.2.1:514", "[2001:db8::1]:514", "" for none
  std::string AddressString() const;  // without the port
  friend bool operator==(const PeerAddress&, const PeerAddress&) = default;
};

// A byte range inside the record's raw bytes. len == 0 means absent (NILVALUE or missing).
struct Span {
  uint32_t off = 0;
  uint32_t len = 0;
  bool empty() const { return len == 0; }
  friend bool operator==(Span, Span) = default;
};

enum class SyslogFormat : uint8_t {
  kUnknown = 0,  // not parseable as syslog: message is the whole line
  kRfc5424 = 1,
  kRfc3164 = 2,  // BSD syslog and its common variants
  kCisco = 3,    // <PRI>seq: host: *Mmm dd hh:mm:ss.mmm TZ: %FAC-SEV-MNEMONIC: ...
};

// What the hot-path syslog header parser found. All Spans index the raw bytes.
struct SyslogHeader {
  SyslogFormat format = SyslogFormat::kUnknown;
  int8_t facility = -1;  // 0..23, -1 if unknown
  int8_t severity = -1;  // 0..7, -1 if unknown
  // Device time, UTC ns since the epoch; nullopt when the message carries none or it is invalid.
  std::optional<int64_t> device_time_ns;
  // True when the device time came with an explicit zone or offset; false when the zone was
  // taken from the per-source configuration (or the server's zone), or the year was inferred.
  bool device_time_zone_known = false;
  bool parse_error = false;  // header malformed: msg spans the whole line
  Span host;
  Span app;
  Span procid;  // RFC 5424 PROCID or the BSD TAG[pid]; process.pid when numeric
  Span msgid;
  Span structured_data;  // RFC 5424 SD including brackets; empty for "-"
  Span msg;              // the free-form message (after a UTF-8 BOM, if any)
};

// Flags on a record, stored in the journal.
enum RecordFlag : uint16_t {
  kFlagTruncated = 1u << 0,     // longer than the configured limit; raw holds the prefix
  kFlagParseError = 1u << 1,    // the syslog header was malformed
  kFlagFramingError = 1u << 2,  // the transport framing was broken around this record
};

// One record, read-only, pointing into memory owned by someone else (a journal buffer or an
// ingest buffer). Cheap to copy.
struct RecordView {
  SeqNo seq;
  int64_t receive_time_ns = 0;  // UTC ns since the epoch
  Transport transport = Transport::kUnknown;
  PeerAddress peer;
  uint16_t flags = 0;
  uint32_t original_length = 0;  // length before truncation (== raw.size() unless truncated)
  SyslogHeader header;
  std::string_view raw;

  // Clamped to raw, so a damaged span can never read outside the record (or throw).
  std::string_view Field(Span s) const {
    if (s.off >= raw.size()) return {};
    return raw.substr(s.off, s.len < raw.size() - s.off ? s.len : raw.size() - s.off);
  }
  bool truncated() const { return (flags & kFlagTruncated) != 0; }
  bool parse_error() const { return (flags & kFlagParseError) != 0; }
};

}  // namespace kiroku

// Record codec: a RecordView to journal frame bytes and back (journal_format.h has the layout).
//
// The producer side (RecordBatch::Add) encodes frames with the sequence number and CRC left
// zero, because only the committer's writer thread knows the sequence; SealFrames() fills both
// in just before the write. Readers check a frame with FrameCrcOk() and decode its payload
// with DecodeRecord(), which points the RecordView into the payload without copying.
//
//   std::string buf;
//   AppendFrame(view, &buf);
//   SealFrames(buf.data(), buf.size(), SeqNo{42});
//   RecordView back;
//   Status s = DecodeRecord(std::string_view(buf).substr(journal::kFrameHeaderSize), &back);
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/record.h"
#include "common/status.h"

namespace kiroku::store {

// Appends one kSyslog frame for `r` to `dst`, seq and CRC zero. r.seq is ignored. A raw longer
// than journal::kMaxRawSize is cut to it (and flagged truncated); a Span that does not lie
// inside raw is stored as empty, so the evidence is always kept and always decodable.
void AppendFrame(const RecordView& r, std::string* dst);

// Stamps consecutive sequence numbers from `first` into the frames in buf[0, n) and computes
// their CRCs. Returns the number of frames.
// REQUIRES: buf[0, n) is whole frames as made by AppendFrame.
uint64_t SealFrames(char* buf, size_t n, SeqNo first);

// The unmasked CRC a frame with this payload must carry.
uint32_t FrameCrc(std::string_view payload);
// True when `frame_header` (kFrameHeaderSize bytes) carries the right CRC for `payload`.
bool FrameCrcOk(const char* frame_header, std::string_view payload);

// The record type and version in a payload's first two bytes.
// REQUIRES: payload.size() >= journal::kMinPayloadSize
uint8_t PayloadType(std::string_view payload);
uint8_t PayloadVersion(std::string_view payload);
SeqNo PayloadSeq(std::string_view payload);

// Cheap test, before any CRC, of whether `prefix` (the first bytes of a payload, at least
// journal::kPayloadFixedSize of them) can start a kSyslog payload of `length` bytes. Used to
// pass over damaged bytes quickly when resynchronising.
bool PlausibleSyslogPayload(std::string_view prefix, uint32_t length);

// Decodes a kSyslog payload. `out` points into `payload`. Corruption if the payload is not a
// well-formed kSyslog version 1 payload.
Status DecodeRecord(std::string_view payload, RecordView* out);

}  // namespace kiroku::store

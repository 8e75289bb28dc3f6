// The canonical leaf encoding of a record: exactly the evidence, nothing derived.
//
// A record's leaf in the Merkle tree is HashLeaf(EncodeLeaf(record)) = SHA-256(0x00 ||
// encoding). The encoding covers the evidence (sequence number, receive time, transport,
// peer, the truncated and framing-error flags, the original length and the raw bytes) and
// nothing that is derived from it (parsed header spans, the parse-error flag, normalised
// fields), so re-parsing with a better parser never changes a hash. Fixed-width big-endian
// integers, no padding, one version byte in front. docs/formats/merkle.md gives it byte by
// byte with a worked example that leaf_test.cc checks.
//
//   std::string scratch;  // reused across records: no allocation once it is large enough
//   for (const RecordView& r : batch) frontier.Append(LeafHashOf(r, &scratch));
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "common/record.h"
#include "integrity/hash.h"

namespace kiroku::integrity {

inline constexpr uint8_t kLeafEncodingVersion = 1;
// Bytes before the raw bytes: version 1, seq 8, time 8, transport 1, family 1, address 16,
// port 2, flags 1, original length 4, raw length 4.
inline constexpr size_t kLeafHeaderSize = 46;
// The record flags that are evidence (how the bytes arrived); kFlagParseError is derived.
inline constexpr uint16_t kLeafEvidenceFlags = kFlagTruncated | kFlagFramingError;

// Replaces *out with the canonical encoding of r.
// REQUIRES: r.raw.size() < 2^32 (the journal's limit is far lower).
void EncodeLeaf(const RecordView& r, std::string* out);

// HashLeaf(EncodeLeaf(r)); *scratch holds the encoding afterwards.
Hash LeafHashOf(const RecordView& r, std::string* scratch);

}  // namespace kiroku::integrity

// The body of one sealed block before zstd: the journal payloads of its records taken apart
// into columns (docs/formats/segment.md, "Block body"), so that like sits next to like and zstd
// finds more to share. Decoding rebuilds every payload byte for byte.
//
//   std::string body;
//   EncodeBlockBody(payloads, extras, &body);           // payloads already validated
//   DecodedBlock b;
//   std::string why;
//   if (!DecodeBlockBody(body, first, count, &b, &why)) return Corruption(why);
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/record.h"
#include "segment/sealed_segment.h"

namespace kiroku::segment::internal {

// REQUIRES: every payload passed store::DecodeRecord; extras is empty or one per payload.
// Sequence numbers are not stored (the block table has the first one).
void EncodeBlockBody(const std::vector<std::string_view>& payloads,
                     const std::vector<std::string_view>& extras, std::string* body);

// Rebuilds `count` payloads with seqs first, first+1, ... False, with the reason in `why`, when
// the body is not a well-formed body of `count` records.
bool DecodeBlockBody(std::string_view body, SeqNo first, uint32_t count, DecodedBlock* out,
                     std::string* why);

}  // namespace kiroku::segment::internal

// The 40-byte header at the start of every journal segment file.
//
//   std::string bytes = EncodeSegmentHeader({SeqNo{1}, clock.NowNs()});
//   SegmentHeader h;
//   Status s = DecodeSegmentHeader(bytes, &h);
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/record.h"
#include "common/status.h"

namespace kiroku::store {

struct SegmentHeader {
  SeqNo first_seq;
  int64_t created_ns = 0;    // wall clock when the segment was started
  uint32_t version = 0;      // set by Decode
  uint32_t header_size = 0;  // set by Decode: where the first frame starts
};

std::string EncodeSegmentHeader(const SegmentHeader& h);

// Corruption when the magic or CRC is wrong; InvalidArgument when the header is intact but
// from a format version this code does not know (a newer kiroku wrote it).
// REQUIRES: bytes.size() >= journal::kFileHeaderSize
Status DecodeSegmentHeader(std::string_view bytes, SegmentHeader* out);

}  // namespace kiroku::store

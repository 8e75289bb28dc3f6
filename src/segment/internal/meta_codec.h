// SegmentMeta to bytes and back (docs/formats/segment.md, "Meta"). Binary rather than JSON:
// host names are bytes as logged and need not be UTF-8.
//
//   std::string b = EncodeMeta(meta);
//   SegmentMeta back;
//   bool ok = DecodeMeta(b, &back);
#pragma once

#include <string>
#include <string_view>

#include "segment/segment_writer.h"

namespace kiroku::segment::internal {

std::string EncodeMeta(const SegmentMeta& meta);
// False when `bytes` is not exactly one encoded SegmentMeta. With `sources` false the sources
// are checked but not kept (out->sources stays empty): a search needs none of them, and a
// segment of a busy network lists thousands.
bool DecodeMeta(std::string_view bytes, SegmentMeta* out, bool sources = true);

}  // namespace kiroku::segment::internal

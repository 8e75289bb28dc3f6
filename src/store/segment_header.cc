// Header layout (journal_format.h):
//
//   0  magic "KIROKUJ1"   8  version u32   12 header_size u32   16 first_seq u64
//   24 created_ns i64     32 reserved u32  36 masked crc32c of bytes [0, 36)
#include "store/segment_header.h"

#include <cstring>

#include "common/crc32c.h"
#include "store/internal/coding.h"
#include "store/journal_format.h"

namespace kiroku::store {

namespace j = journal;
using internal::DecodeFixed32;
using internal::DecodeFixed64;
using internal::EncodeFixed32;
using internal::EncodeFixed64;

std::string EncodeSegmentHeader(const SegmentHeader& h) {
  std::string out(j::kFileHeaderSize, '\0');
  char* p = out.data();
  std::memcpy(p + j::kHeaderMagicOffset, j::kMagic, sizeof j::kMagic);
  EncodeFixed32(p + j::kHeaderVersionOffset, j::kFormatVersion);
  EncodeFixed32(p + j::kHeaderSizeOffset, j::kFileHeaderSize);
  EncodeFixed64(p + j::kHeaderFirstSeqOffset, h.first_seq.value);
  EncodeFixed64(p + j::kHeaderCreatedOffset, static_cast<uint64_t>(h.created_ns));
  EncodeFixed32(p + j::kHeaderCrcOffset, crc32c::Mask(crc32c::Value(p, j::kHeaderCrcOffset)));
  return out;
}

Status DecodeSegmentHeader(std::string_view bytes, SegmentHeader* out) {
  const char* p = bytes.data();
  if (std::memcmp(p + j::kHeaderMagicOffset, j::kMagic, sizeof j::kMagic) != 0) {
    return Status::Corruption("bad magic");
  }
  uint32_t crc = crc32c::Unmask(DecodeFixed32(p + j::kHeaderCrcOffset));
  if (crc != crc32c::Value(p, j::kHeaderCrcOffset)) return Status::Corruption("bad header CRC");
  SegmentHeader h;
  h.version = DecodeFixed32(p + j::kHeaderVersionOffset);
  h.header_size = DecodeFixed32(p + j::kHeaderSizeOffset);
  h.first_seq = SeqNo{DecodeFixed64(p + j::kHeaderFirstSeqOffset)};
  h.created_ns = static_cast<int64_t>(DecodeFixed64(p + j::kHeaderCreatedOffset));
  if (h.version != j::kFormatVersion) {
    return Status::InvalidArgument("journal format version " + std::to_string(h.version) +
                                   " is not supported (this kiroku reads version " +
                                   std::to_string(j::kFormatVersion) + ")");
  }
  if (h.header_size != j::kFileHeaderSize) {
    return Status::Corruption("header size " + std::to_string(h.header_size) + " for version 1");
  }
  *out = h;
  return Status::Ok();
}

}  // namespace kiroku::store

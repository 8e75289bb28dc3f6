// Layout (docs/formats/merkle.md, "Leaf encoding"), all integers big-endian:
//
//   offset size field
//   0      1    version = 1
//   1      8    seq                u64
//   9      8    receive_time_ns    i64, two's complement
//   17     1    transport          u8
//   18     1    peer family        u8 (0, 4, 6)
//   19     16   peer address       as stored (IPv4 in the first 4 bytes, rest as stored)
//   35     2    peer port          u16
//   37     1    evidence flags     u8: flags & (kFlagTruncated | kFlagFramingError)
//   38     4    original_length    u32
//   42     4    raw length         u32
//   46     n    raw bytes
#include "integrity/leaf.h"

#include <cassert>
#include <cstring>

namespace kiroku::integrity {
namespace {

char* PutBig(char* p, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) *p++ = static_cast<char>(v >> (8 * i));
  return p;
}

}  // namespace

void EncodeLeaf(const RecordView& r, std::string* out) {
  assert(r.raw.size() <= UINT32_MAX);
  out->resize(kLeafHeaderSize + r.raw.size());
  char* p = out->data();
  *p++ = static_cast<char>(kLeafEncodingVersion);
  p = PutBig(p, r.seq.value, 8);
  p = PutBig(p, static_cast<uint64_t>(r.receive_time_ns), 8);
  *p++ = static_cast<char>(r.transport);
  *p++ = static_cast<char>(r.peer.family);
  std::memcpy(p, r.peer.addr.data(), r.peer.addr.size());
  p += r.peer.addr.size();
  p = PutBig(p, r.peer.port, 2);
  *p++ = static_cast<char>(r.flags & kLeafEvidenceFlags);
  p = PutBig(p, r.original_length, 4);
  p = PutBig(p, r.raw.size(), 4);
  assert(p == out->data() + kLeafHeaderSize);
  if (!r.raw.empty()) std::memcpy(p, r.raw.data(), r.raw.size());
}

Hash LeafHashOf(const RecordView& r, std::string* scratch) {
  EncodeLeaf(r, scratch);
  return HashLeaf(*scratch);
}

}  // namespace kiroku::integrity

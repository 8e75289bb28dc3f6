// meta = version varint (1) | first varint | last varint | min_ts zz | max_ts zz | min_recv zz
//        | max_recv zz | sealed_at zz | leaves_root bytes | source_count varint
//        | source* | index_info bytes
// source = host bytes | address bytes | records varint | first_recv zz | last_recv zz
// bytes = length varint | octets; zz = zigzag varint
#include "segment/internal/meta_codec.h"

#include "segment/internal/format.h"

namespace kiroku::segment::internal {
namespace {

constexpr uint64_t kMetaVersion = 1;

void PutBytes(std::string* s, std::string_view b) {
  PutVarint64(s, b.size());
  s->append(b);
}
void PutSigned(std::string* s, int64_t v) { PutVarint64(s, ZigZag(v)); }
bool GetSigned(Cursor* c, int64_t* v) {
  uint64_t u = 0;
  bool ok = c->Varint(&u);
  *v = UnZigZag(u);
  return ok;
}
bool GetString(Cursor* c, std::string* s) {
  std::string_view b;
  if (!c->LenBytes(&b)) return false;
  s->assign(b);
  return true;
}

}  // namespace

std::string EncodeMeta(const SegmentMeta& m) {
  std::string s;
  PutVarint64(&s, kMetaVersion);
  PutVarint64(&s, m.first.value);
  PutVarint64(&s, m.last.value);
  PutSigned(&s, m.min_timestamp_ns);
  PutSigned(&s, m.max_timestamp_ns);
  PutSigned(&s, m.min_received_ns);
  PutSigned(&s, m.max_received_ns);
  PutSigned(&s, m.sealed_at_ns);
  PutBytes(&s, m.leaves_root);
  PutVarint64(&s, m.sources.size());
  for (const SourceCount& src : m.sources) {
    PutBytes(&s, src.host);
    PutBytes(&s, src.address);
    PutVarint64(&s, src.records);
    PutSigned(&s, src.first_received_ns);
    PutSigned(&s, src.last_received_ns);
  }
  PutBytes(&s, m.index_info);
  return s;
}

bool DecodeMeta(std::string_view bytes, SegmentMeta* out, bool sources) {
  Cursor c(bytes);
  SegmentMeta m;
  uint64_t version = 0, count = 0;
  if (!c.Varint(&version) || version != kMetaVersion) return false;
  c.Varint(&m.first.value);
  c.Varint(&m.last.value);
  GetSigned(&c, &m.min_timestamp_ns);
  GetSigned(&c, &m.max_timestamp_ns);
  GetSigned(&c, &m.min_received_ns);
  GetSigned(&c, &m.max_received_ns);
  GetSigned(&c, &m.sealed_at_ns);
  GetString(&c, &m.leaves_root);
  // A source takes at least 5 bytes: bounds the count before anything is reserved.
  if (!c.Varint(&count) || count > c.remaining() / 5) return false;
  if (sources) {
    m.sources.resize(count);
    for (SourceCount& src : m.sources) {
      GetString(&c, &src.host);
      GetString(&c, &src.address);
      c.Varint(&src.records);
      GetSigned(&c, &src.first_received_ns);
      GetSigned(&c, &src.last_received_ns);
    }
  } else {
    std::string_view skip;
    uint64_t skip_n = 0;
    for (uint64_t i = 0; i < count && c.ok(); ++i) {
      c.LenBytes(&skip);
      c.LenBytes(&skip);
      c.Varint(&skip_n);
      c.Varint(&skip_n);
      c.Varint(&skip_n);
    }
  }
  GetString(&c, &m.index_info);
  if (!c.ok() || !c.AtEnd()) return false;
  *out = std::move(m);
  return true;
}

}  // namespace kiroku::segment::internal

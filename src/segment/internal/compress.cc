#include "segment/internal/compress.h"

#include <algorithm>
#include <memory>

#include "segment/internal/format.h"

namespace kiroku::segment::internal {

Compressor::Compressor(int level) : ctx_(ZSTD_createCCtx()), level_(level) {}
Compressor::~Compressor() {
  ZSTD_freeCDict(cdict_);
  ZSTD_freeCCtx(ctx_);
}

bool Compressor::SetDictionary(std::string_view content) {
  ZSTD_freeCDict(cdict_);
  cdict_ = ZSTD_createCDict(content.data(), content.size(), level_);
  return cdict_ != nullptr;
}

bool Compressor::Compress(std::string_view in, std::string* out) {
  if (ctx_ == nullptr) return false;
  out->resize(ZSTD_compressBound(in.size()));
  size_t n =
      cdict_ != nullptr
          ? ZSTD_compress_usingCDict(ctx_, out->data(), out->size(), in.data(), in.size(), cdict_)
          : ZSTD_compressCCtx(ctx_, out->data(), out->size(), in.data(), in.size(), level_);
  if (ZSTD_isError(n)) return false;
  out->resize(n);
  return true;
}

constexpr uint64_t kSingleShotMax = 4 << 20;

bool DecompressExact(std::string_view in, uint64_t expected, std::string* out,
                     const ZSTD_DDict* dict) {
  out->clear();
  if (expected > kMaxBodyLen) return false;
  unsigned long long declared = ZSTD_getFrameContentSize(in.data(), in.size());
  if (declared != expected) return false;
  // One context per thread, reused: creating one costs more than decompressing a
  // dictionary block.
  thread_local std::unique_ptr<ZSTD_DCtx, size_t (*)(ZSTD_DCtx*)> tls(ZSTD_createDCtx(),
                                                                      ZSTD_freeDCtx);
  ZSTD_DCtx* ctx = tls.get();
  if (ctx == nullptr) return false;
  // Blocks, dictionary blocks and sections are at most a few hundred KiB: one call into a
  // buffer of the declared size, which the streaming path below costs several times more for.
  if (expected <= kSingleShotMax) {
    out->resize(expected);
    // Always the DDict call, also with no dictionary: ZSTD_decompressDCtx() would use a DDict
    // the context still referenced (a "sticky" parameter), which the streaming path below
    // must not leave behind anyway.
    const size_t n =
        ZSTD_decompress_usingDDict(ctx, out->data(), out->size(), in.data(), in.size(), dict);
    // One frame that fills the buffer exactly (a second frame after it is an error too).
    if (ZSTD_isError(n) || n != expected ||
        ZSTD_findFrameCompressedSize(in.data(), in.size()) != in.size()) {
      out->clear();
      return false;
    }
    return true;
  }
  ZSTD_DCtx_reset(ctx, ZSTD_reset_session_only);
  if (ZSTD_isError(ZSTD_DCtx_refDDict(ctx, dict))) return false;
  // The context outlives this call and `dict` may be freed (its segment closed): drop the
  // reference on every way out.
  struct Unref {
    ZSTD_DCtx* ctx;
    ~Unref() { ZSTD_DCtx_reset(ctx, ZSTD_reset_session_and_parameters); }
  } unref{ctx};
  // Larger: start small and double: a frame that claims much but holds little cannot make us
  // allocate what it claims.
  out->resize(std::min<uint64_t>(expected, 256 << 10));
  ZSTD_inBuffer src{in.data(), in.size(), 0};
  size_t produced = 0;
  bool ok = false;
  while (true) {
    ZSTD_outBuffer dst{out->data(), out->size(), produced};
    size_t r = ZSTD_decompressStream(ctx, &dst, &src);
    produced = dst.pos;
    if (ZSTD_isError(r)) break;
    if (r == 0) {  // frame complete
      ok = produced == expected && src.pos == src.size;
      break;
    }
    if (dst.pos == dst.size) {
      if (out->size() >= expected) {
        // Full, yet zstd wants to write more than `expected` (or flush): wrong length.
        char extra;
        ZSTD_outBuffer probe{&extra, 1, 0};
        r = ZSTD_decompressStream(ctx, &probe, &src);
        ok = !ZSTD_isError(r) && r == 0 && probe.pos == 0 && src.pos == src.size &&
             produced == expected;
        break;
      }
      out->resize(std::min<uint64_t>(expected, out->size() * 2 + 1));
    } else if (src.pos == src.size) {
      break;  // input used up before the frame ended
    }
  }
  if (!ok) out->clear();
  return ok;
}

void PackSection(std::string_view body, Compressor* c, std::string* out) {
  std::string z;
  bool zstd = c->Compress(body, &z) && z.size() < body.size();
  out->push_back(static_cast<char>(zstd ? kCodecZstd : kCodecRaw));
  PutVarint64(out, body.size());
  out->append(zstd ? std::string_view(z) : body);
}

bool UnpackSection(std::string_view stored, std::string* body) {
  Cursor c(stored);
  uint8_t codec = 0;
  uint64_t len = 0;
  if (!c.Byte(&codec) || !c.Varint(&len)) return false;
  std::string_view rest;
  c.Bytes(c.remaining(), &rest);
  if (codec == kCodecRaw) {
    if (rest.size() != len) return false;
    body->assign(rest);
    return true;
  }
  if (codec == kCodecZstd) return DecompressExact(rest, len, body);
  return false;
}

}  // namespace kiroku::segment::internal

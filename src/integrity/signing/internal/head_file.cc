#include "integrity/signing/internal/head_file.h"

#include <cstring>

#include "common/crc32c.h"
#include "integrity/signing/internal/bytes.h"
#include "integrity/signing/key_files.h"

namespace kiroku::integrity::signing::internal {
namespace {

constexpr std::string_view kPrefix = "heads-", kSuffix = ".log";

void PutLe32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
uint32_t GetLe32(const char* p) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(p[i]);
  return v;
}

}  // namespace

std::string HeadFileName(Epoch epoch) { return EpochFileName(kPrefix, epoch, kSuffix); }

std::optional<Epoch> ParseHeadFileName(std::string_view name) {
  return ParseEpochFileName(name, kPrefix, kSuffix);
}

std::string EncodeFrame(std::string_view payload) {
  std::string out;
  out.reserve(kFrameHeaderSize + payload.size());
  PutLe32(out, static_cast<uint32_t>(payload.size()));
  uint32_t crc = crc32c::Value(out.data(), 4);
  crc = crc32c::Extend(crc, payload.data(), payload.size());
  PutLe32(out, crc32c::Mask(crc));
  out.append(payload);
  return out;
}

std::optional<std::string_view> DecodeFrame(std::string_view file, size_t offset,
                                            size_t* frame_size) {
  if (offset > file.size() || file.size() - offset < kFrameHeaderSize) return std::nullopt;
  const char* p = file.data() + offset;
  const uint32_t length = GetLe32(p);
  if (length == 0 || length > kMaxFramePayload) return std::nullopt;
  if (file.size() - offset - kFrameHeaderSize < length) return std::nullopt;
  uint32_t crc = crc32c::Extend(crc32c::Value(p, 4), p + kFrameHeaderSize, length);
  if (crc32c::Mask(crc) != GetLe32(p + 4)) return std::nullopt;
  *frame_size = kFrameHeaderSize + length;
  return file.substr(offset + kFrameHeaderSize, length);
}

std::string EncodeEpochRecord(const EpochRecord& r) {
  std::string out;
  PutU8(out, kEpochRecordType);
  PutU64(out, r.epoch.value);
  out.append(r.epoch_key.View());
  PutU8(out, static_cast<uint8_t>(r.epoch_key_proof.size()));
  for (const Hash& h : r.epoch_key_proof) out.append(h.View());
  return out;
}

StatusOr<EpochRecord> DecodeEpochRecord(std::string_view payload) {
  ByteReader r(payload);
  if (r.U8() != kEpochRecordType) return Status::Corruption("not an epoch record");
  EpochRecord out;
  out.epoch = Epoch{r.U64()};
  std::string_view key = r.Bytes(Ed25519PublicKey::kSize);
  uint8_t n = r.U8();
  for (uint8_t i = 0; i < n && r.ok(); ++i) {
    std::string_view h = r.Bytes(Hash::kSize);
    if (r.ok()) out.epoch_key_proof.push_back(Hash::FromBytes(h));
  }
  if (!r.done()) return Status::Corruption("epoch record has the wrong size");
  out.epoch_key = Ed25519PublicKey::FromBytes(key);
  return out;
}

std::string EncodeHeadRecord(const TreeHead& head) {
  std::string out;
  out.reserve(kHeadRecordSize);
  PutU8(out, kHeadRecordType);
  std::string body = EncodeHeadBody(head);
  out.append(body, 0, kHeadBodySize - Ed25519PublicKey::kSize);
  out.append(head.signature.View());
  return out;
}

StatusOr<TreeHead> DecodeHeadRecord(std::string_view payload, const EpochRecord& epoch) {
  if (payload.size() != kHeadRecordSize || static_cast<uint8_t>(payload[0]) != kHeadRecordType) {
    return Status::Corruption("not a head record of " + std::to_string(kHeadRecordSize) + " bytes");
  }
  std::string body(payload.substr(1, kHeadBodySize - Ed25519PublicKey::kSize));
  body.append(epoch.epoch_key.View());
  auto head = DecodeHeadBody(body);
  if (!head.ok()) return head.status();
  if (head->epoch != epoch.epoch) {
    return Status::Corruption("head of epoch " + std::to_string(head->epoch.value) +
                              " in the file of epoch " + std::to_string(epoch.epoch.value));
  }
  head->epoch_key_proof = epoch.epoch_key_proof;
  head->signature = Ed25519Signature::FromBytes(payload.substr(1 + kHeadBodySize - 32, 64));
  return head;
}

}  // namespace kiroku::integrity::signing::internal

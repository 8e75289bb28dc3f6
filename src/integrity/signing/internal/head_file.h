// The bytes of a head store file (DATA/heads/heads-<epoch>.log), shared by the writer
// (head_store.h) and the reader (head_reader.h). docs/formats/heads.md has the grammar:
//
//   head-file    = magic "KIROKUH1" epoch-frame *head-frame
//   frame        = length u32le | masked-crc u32le | payload     ; crc32c(length bytes ++ payload)
//   epoch-record = 0x01 | epoch u64 | epoch_key [32] | n u8 | n * proof hash [32]
//   head-record  = 0x02 | head body without its last 32 bytes (the epoch key) [111]
//                  | signature [64]
//
//   std::string frame = EncodeFrame(EncodeHeadRecord(head));
//   FrameResult f = DecodeFrame(bytes, offset);
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "integrity/hash.h"
#include "integrity/signing/ed25519.h"
#include "integrity/signing/epoch.h"
#include "integrity/signing/tree_head.h"

namespace kiroku::integrity::signing::internal {

inline constexpr char kHeadFileMagic[8] = {'K', 'I', 'R', 'O', 'K', 'U', 'H', '1'};
inline constexpr size_t kHeadFileMagicSize = 8;
inline constexpr size_t kFrameHeaderSize = 8;
inline constexpr uint32_t kMaxFramePayload = 4096;
inline constexpr uint8_t kEpochRecordType = 1;
inline constexpr uint8_t kHeadRecordType = 2;
inline constexpr size_t kHeadRecordSize = 1 + (kHeadBodySize - Ed25519PublicKey::kSize) + 64;

std::string HeadFileName(Epoch epoch);  // "heads-00000000000000000017.log"
std::optional<Epoch> ParseHeadFileName(std::string_view name);

std::string EncodeFrame(std::string_view payload);
// The payload of the frame at `offset`, or nullopt when there is no complete valid frame there
// (too short, length out of bounds, CRC mismatch). `*frame_size` gets header + payload size.
std::optional<std::string_view> DecodeFrame(std::string_view file, size_t offset,
                                            size_t* frame_size);

struct EpochRecord {
  Epoch epoch;
  Ed25519PublicKey epoch_key;
  std::vector<Hash> epoch_key_proof;
};
std::string EncodeEpochRecord(const EpochRecord& record);
StatusOr<EpochRecord> DecodeEpochRecord(std::string_view payload);

std::string EncodeHeadRecord(const TreeHead& head);
// Rebuilds the full head from the record and its file's epoch record.
StatusOr<TreeHead> DecodeHeadRecord(std::string_view payload, const EpochRecord& epoch);

}  // namespace kiroku::integrity::signing::internal

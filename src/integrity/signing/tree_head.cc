#include "integrity/signing/tree_head.h"

#include <nlohmann/json.hpp>

#include "integrity/signing/domain.h"
#include "integrity/signing/internal/bytes.h"
#include "integrity/signing/internal/json_util.h"

namespace kiroku::integrity::signing {

// head-body (143 bytes) = version u16 | tree_size u64 | root_hash [32] | timestamp_ns i64
//   | epoch u64 | previous_head_hash [32] | clock_synced u8 | clock_status i32
//   | est_error_us i64 | max_error_us i64 | epoch_key [32]
std::string EncodeHeadBody(const TreeHead& h) {
  std::string out;
  out.reserve(kHeadBodySize);
  internal::PutU16(out, h.version);
  internal::PutU64(out, h.tree_size);
  out.append(h.root_hash.View());
  internal::PutI64(out, h.timestamp_ns);
  internal::PutU64(out, h.epoch.value);
  out.append(h.previous_head_hash.View());
  internal::PutU8(out, h.clock.synced ? 1 : 0);
  internal::PutU32(out, static_cast<uint32_t>(h.clock.status));
  internal::PutI64(out, h.clock.est_error_us);
  internal::PutI64(out, h.clock.max_error_us);
  out.append(h.epoch_key.View());
  return out;
}

StatusOr<TreeHead> DecodeHeadBody(std::string_view body) {
  internal::ByteReader r(body);
  TreeHead h;
  h.version = r.U16();
  h.tree_size = r.U64();
  std::string_view root = r.Bytes(Hash::kSize);
  h.timestamp_ns = r.I64();
  h.epoch = Epoch{r.U64()};
  std::string_view prev = r.Bytes(Hash::kSize);
  uint8_t synced = r.U8();
  h.clock.status = static_cast<int32_t>(r.U32());
  h.clock.est_error_us = r.I64();
  h.clock.max_error_us = r.I64();
  std::string_view key = r.Bytes(Ed25519PublicKey::kSize);
  if (!r.done()) {
    return Status::Corruption("tree head body is " + std::to_string(body.size()) +
                              " bytes, expected 143");
  }
  if (h.version != kTreeHeadVersion) {
    return Status::Corruption("tree head version " + std::to_string(h.version) +
                              " is not supported");
  }
  if (synced > 1) return Status::Corruption("tree head clock_synced is neither 0 nor 1");
  h.clock.synced = synced == 1;
  h.root_hash = Hash::FromBytes(root);
  h.previous_head_hash = Hash::FromBytes(prev);
  h.epoch_key = Ed25519PublicKey::FromBytes(key);
  return h;
}

std::string HeadSigningInput(const TreeHead& head) {
  return std::string(kHeadSignatureLabel) + EncodeHeadBody(head);
}

Hash HeadHash(const TreeHead& head) {
  return Sha256(std::string(kHeadHashLabel) + EncodeHeadBody(head) +
                std::string(head.signature.View()));
}

std::string TreeHeadToJson(const TreeHead& h) {
  nlohmann::ordered_json j;
  j["type"] = "kiroku-tree-head";
  j["version"] = h.version;
  j["tree_size"] = h.tree_size;
  j["root_hash"] = h.root_hash.Hex();
  j["timestamp_ns"] = h.timestamp_ns;
  j["epoch"] = h.epoch.value;
  j["previous_head_hash"] = h.previous_head_hash.Hex();
  j["clock"] = {{"synced", h.clock.synced},
                {"status", h.clock.status},
                {"est_error_us", h.clock.est_error_us},
                {"max_error_us", h.clock.max_error_us}};
  j["epoch_key"] = h.epoch_key.Hex();
  nlohmann::ordered_json proof = nlohmann::ordered_json::array();
  for (const Hash& p : h.epoch_key_proof) proof.push_back(p.Hex());
  j["epoch_key_proof"] = proof;
  j["signature"] = h.signature.Hex();
  j["head_hash"] = HeadHash(h).Hex();
  return j.dump(2) + "\n";
}

StatusOr<TreeHead> TreeHeadFromJson(std::string_view json) {
  auto doc = internal::ParseJson(json, "tree head");
  if (!doc.ok()) return doc.status();
  internal::JsonReader r(*doc, "tree head");
  if (r.String("type") != "kiroku-tree-head") r.Fail("type", "is not kiroku-tree-head");
  TreeHead h;
  uint64_t version = r.U64("version");
  h.tree_size = r.U64("tree_size");
  h.root_hash = r.HashHex("root_hash");
  h.timestamp_ns = r.I64("timestamp_ns");
  h.epoch = Epoch{r.U64("epoch")};
  h.previous_head_hash = r.HashHex("previous_head_hash");
  const nlohmann::json* clock = r.Get("clock");
  std::string key = r.Bytes("epoch_key", Ed25519PublicKey::kSize);
  h.epoch_key_proof = r.HashList("epoch_key_proof");
  std::string sig = r.Bytes("signature", Ed25519Signature::kSize);
  if (!r.ok()) return r.status();
  internal::JsonReader c(*clock, "tree head clock");
  h.clock.synced = c.Bool("synced");
  int64_t status = c.I64("status");
  h.clock.est_error_us = c.I64("est_error_us");
  h.clock.max_error_us = c.I64("max_error_us");
  if (!c.ok()) return c.status();
  if (version != kTreeHeadVersion) {
    return Status::Corruption("tree head version " + std::to_string(version) + " is not supported");
  }
  if (status < INT32_MIN || status > INT32_MAX) {
    return Status::Corruption("tree head clock status out of range");
  }
  h.clock.status = static_cast<int32_t>(status);
  h.epoch_key = Ed25519PublicKey::FromBytes(key);
  h.signature = Ed25519Signature::FromBytes(sig);
  // head_hash is a convenience for readers; when present it must agree.
  if (r.Has("head_hash")) {
    Hash stated = r.HashHex("head_hash");
    if (!r.ok()) return r.status();
    if (stated != HeadHash(h)) {
      return Status::Corruption("tree head head_hash does not match its fields");
    }
  }
  return h;
}

}  // namespace kiroku::integrity::signing

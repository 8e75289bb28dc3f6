#include "verify/proof_check.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "integrity/hash.h"
#include "integrity/leaf.h"
#include "integrity/proof_verify.h"
#include "integrity/signing/head_verify.h"
#include "integrity/signing/rollover.h"
#include "integrity/signing/tree_head.h"
#include "integrity/signing/trust_anchor.h"
#include "verify/internal/base64.h"

namespace kiroku::verify {
namespace {

namespace sig = integrity::signing;
using integrity::Hash;
using nlohmann::json;

ProofVerdict Invalid(std::string why) { return {false, std::move(why), {}}; }

uint64_t Big(std::string_view b, size_t off, int n) {
  uint64_t v = 0;
  for (int i = 0; i < n; ++i) v = (v << 8) | static_cast<uint8_t>(b[off + static_cast<size_t>(i)]);
  return v;
}

StatusOr<std::vector<Hash>> HashList(const json& doc, const char* key) {
  if (!doc.contains(key) || !doc[key].is_array()) {
    return Status::Corruption(std::string("field \"") + key + "\" is missing or not an array");
  }
  std::vector<Hash> out;
  for (const json& item : doc[key]) {
    std::optional<Hash> h =
        item.is_string() ? Hash::FromHex(item.get<std::string>()) : std::nullopt;
    if (!h) return Status::Corruption(std::string("field \"") + key + "\" holds a non-hash");
    out.push_back(*h);
  }
  return out;
}

StatusOr<uint64_t> U64(const json& doc, const char* key) {
  if (!doc.contains(key) || !doc[key].is_number_unsigned()) {
    if (doc.contains(key) && doc[key].is_number_integer() && doc[key].get<int64_t>() >= 0) {
      return doc[key].get<uint64_t>();
    }
    return Status::Corruption(std::string("field \"") + key + "\" is missing or not a number");
  }
  return doc[key].get<uint64_t>();
}

// A head from the proof and whether it verifies against the root anchor (following the
// rollovers it carries). Error Status: unreadable.
StatusOr<ProofVerdict> CheckHead(const json& doc, const char* key, const sig::TrustAnchor& root,
                                 sig::TreeHead* out) {
  if (!doc.contains(key) || !doc[key].is_object()) {
    return Status::Corruption(std::string("field \"") + key + "\" is missing");
  }
  const json& hj = doc[key];
  auto head = sig::TreeHeadFromJson(hj.dump());
  if (!head.ok()) return head.status();
  *out = *head;
  std::vector<sig::TrustAnchor> chain{root};
  if (hj.contains("anchor_rollovers") && hj["anchor_rollovers"].is_array()) {
    for (const json& r : hj["anchor_rollovers"]) {
      auto rolled = sig::RolloverFromJson(r.dump());
      if (!rolled.ok()) return rolled.status();
      Status v = sig::VerifyRollover(chain.back(), rolled->first, rolled->second);
      if (!v.ok()) return Invalid(std::string(key) + ": anchor rollover: " + v.message());
      chain.push_back(rolled->first);
    }
  }
  const sig::TrustAnchor* anchor = &chain.front();
  for (const sig::TrustAnchor& a : chain) {
    if (a.Covers(head->epoch)) anchor = &a;
  }
  sig::HeadVerdict v = sig::VerifyHead(*head, *anchor);
  if (!v.ok()) {
    return Invalid(std::string(key) + ": " + std::string(sig::HeadErrorName(v.error)) + ": " +
                   v.detail);
  }
  return ProofVerdict{true, {}, {}};
}

StatusOr<ProofVerdict> CheckInclusion(const json& doc, const sig::TrustAnchor& root) {
  sig::TreeHead head;
  auto hv = CheckHead(doc, "head", root, &head);
  if (!hv.ok() || !hv->valid) return hv;
  auto index = U64(doc, "leaf_index");
  auto size = U64(doc, "tree_size");
  auto path = HashList(doc, "inclusion_path");
  if (!index.ok()) return index.status();
  if (!size.ok()) return size.status();
  if (!path.ok()) return path.status();
  if (!doc.contains("leaf_encoding_base64") || !doc["leaf_encoding_base64"].is_string()) {
    return Status::Corruption("field \"leaf_encoding_base64\" is missing");
  }
  auto enc = internal::Base64Decode(doc["leaf_encoding_base64"].get<std::string>());
  if (!enc) return Status::Corruption("field \"leaf_encoding_base64\" is not base64");
  if (*size != head.tree_size) {
    return Invalid("tree_size " + std::to_string(*size) + " is not the head's " +
                   std::to_string(head.tree_size));
  }
  if (enc->size() < integrity::kLeafHeaderSize ||
      static_cast<uint8_t>((*enc)[0]) != integrity::kLeafEncodingVersion ||
      Big(*enc, 42, 4) != enc->size() - integrity::kLeafHeaderSize) {
    return Invalid("the leaf encoding is not a version-1 leaf encoding");
  }
  const uint64_t seq = Big(*enc, 1, 8);
  if (seq != *index + 1) {
    return Invalid("the leaf encoding holds seq " + std::to_string(seq) + ", the proof is for " +
                   "leaf index " + std::to_string(*index));
  }
  const Hash leaf = integrity::HashLeaf(*enc);
  if (doc.contains("leaf_hash") && doc["leaf_hash"] != leaf.Hex()) {
    return Invalid("leaf_hash is not SHA-256(0x00 || leaf encoding)");
  }
  // The record shown to a reader must be the one hashed.
  if (doc.contains("record") && doc["record"].is_object()) {
    const json& r = doc["record"];
    std::optional<std::string> raw =
        r.contains("raw_base64") && r["raw_base64"].is_string()
            ? internal::Base64Decode(r["raw_base64"].get<std::string>())
            : std::nullopt;
    if (!raw || *raw != enc->substr(integrity::kLeafHeaderSize)) {
      return Invalid("record.raw_base64 is not the raw bytes in the leaf encoding");
    }
    if (!r.contains("seq") || r["seq"] != seq) return Invalid("record.seq disagrees with the leaf");
    if (!r.contains("receive_time_ns") || !r["receive_time_ns"].is_number_integer() ||
        static_cast<uint64_t>(r["receive_time_ns"].get<int64_t>()) != Big(*enc, 9, 8)) {
      return Invalid("record.receive_time_ns disagrees with the leaf encoding");
    }
    auto transport = r.contains("transport") && r["transport"].is_string()
                         ? TransportFromName(r["transport"].get<std::string>())
                         : std::nullopt;
    if (!transport || static_cast<uint8_t>(*transport) != static_cast<uint8_t>((*enc)[17])) {
      return Invalid("record.transport disagrees with the leaf encoding");
    }
  }
  if (!integrity::VerifyInclusion(*index, *size, leaf, *path, head.root_hash)) {
    return Invalid("the inclusion path does not lead from the leaf to the head's root");
  }
  return ProofVerdict{true,
                      {},
                      "record " + std::to_string(seq) + " is in the tree of size " +
                          std::to_string(head.tree_size) + " signed in epoch " +
                          std::to_string(head.epoch.value)};
}

StatusOr<ProofVerdict> CheckConsistency(const json& doc, const sig::TrustAnchor& root) {
  sig::TreeHead old_head, new_head;
  auto a = CheckHead(doc, "old_head", root, &old_head);
  if (!a.ok() || !a->valid) return a;
  auto b = CheckHead(doc, "new_head", root, &new_head);
  if (!b.ok() || !b->valid) return b;
  auto old_size = U64(doc, "old_size");
  auto new_size = U64(doc, "new_size");
  auto path = HashList(doc, "consistency_path");
  if (!old_size.ok()) return old_size.status();
  if (!new_size.ok()) return new_size.status();
  if (!path.ok()) return path.status();
  if (*old_size != old_head.tree_size || *new_size != new_head.tree_size) {
    return Invalid("old_size/new_size are not the heads' tree sizes");
  }
  if (!integrity::VerifyConsistency(*old_size, *new_size, old_head.root_hash, new_head.root_hash,
                                    *path)) {
    return Invalid("the consistency path does not join the two heads' roots");
  }
  return ProofVerdict{true,
                      {},
                      "the tree of size " + std::to_string(*old_size) +
                          " is a prefix of the tree of size " + std::to_string(*new_size)};
}

}  // namespace

StatusOr<ProofVerdict> CheckProof(std::string_view proof_json, std::string_view anchor_json) {
  json doc = json::parse(proof_json, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return Status::Corruption("the proof is not JSON");
  auto anchor = sig::TrustAnchorFromJson(anchor_json);
  if (!anchor.ok()) {
    auto rolled = sig::RolloverFromJson(anchor_json);
    if (!rolled.ok()) return Status::Corruption("the anchor: " + anchor.status().message());
    anchor = rolled->first;
  }
  const std::string fp = sig::FormatFingerprint(sig::Fingerprint(*anchor));
  if (doc.contains("anchor_fingerprint") && doc["anchor_fingerprint"].is_string()) {
    auto stated = sig::ParseFingerprint(doc["anchor_fingerprint"].get<std::string>());
    if (!stated || sig::FormatFingerprint(*stated) != fp) {
      return ProofVerdict{false,
                          "the proof was made for anchor " +
                              doc["anchor_fingerprint"].get<std::string>() +
                              ", not for the given anchor " + fp,
                          {}};
    }
  }
  std::string type =
      doc.contains("type") && doc["type"].is_string() ? doc["type"].get<std::string>() : "";
  if (type == "kiroku-inclusion-proof") return CheckInclusion(doc, *anchor);
  if (type == "kiroku-consistency-proof") return CheckConsistency(doc, *anchor);
  return Status::Corruption("unknown proof type \"" + type + "\"");
}

}  // namespace kiroku::verify

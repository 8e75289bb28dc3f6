#include "integrity/signing/head_verify.h"

namespace kiroku::integrity::signing {
namespace {
HeadVerdict Fail(HeadError e, std::string detail) { return {e, std::move(detail)}; }
}  // namespace

std::string_view HeadErrorName(HeadError e) {
  switch (e) {
    case HeadError::kOk:
      return "ok";
    case HeadError::kUnsupportedVersion:
      return "unsupported_version";
    case HeadError::kEpochNotInAnchor:
      return "epoch_not_in_anchor";
    case HeadError::kKeyNotInAnchor:
      return "key_not_in_anchor";
    case HeadError::kWrongEpochForTime:
      return "wrong_epoch_for_time";
    case HeadError::kBadSignature:
      return "bad_signature";
    case HeadError::kBrokenChain:
      return "broken_chain";
    case HeadError::kTreeShrank:
      return "tree_shrank";
    case HeadError::kTimeWentBack:
      return "time_went_back";
  }
  return "unknown";
}

HeadVerdict VerifyHead(const TreeHead& head, const TrustAnchor& anchor) {
  if (head.version != kTreeHeadVersion || anchor.version != kTrustAnchorVersion) {
    return Fail(HeadError::kUnsupportedVersion, "head version " + std::to_string(head.version) +
                                                    ", anchor version " +
                                                    std::to_string(anchor.version));
  }
  if (!anchor.Covers(head.epoch)) {
    return Fail(HeadError::kEpochNotInAnchor, "epoch " + std::to_string(head.epoch.value) +
                                                  " is outside the anchor's [" +
                                                  std::to_string(anchor.first_epoch.value) + ", " +
                                                  std::to_string(anchor.end_epoch().value) + ")");
  }
  if (!VerifyKeyInclusion(anchor, head.epoch, head.epoch_key, head.epoch_key_proof)) {
    return Fail(HeadError::kKeyNotInAnchor, "epoch key " + head.epoch_key.Hex() + " is not epoch " +
                                                std::to_string(head.epoch.value) +
                                                "'s key in the anchor's key tree");
  }
  if (!anchor.schedule.Contains(head.epoch, head.timestamp_ns)) {
    return Fail(HeadError::kWrongEpochForTime,
                "timestamp " + std::to_string(head.timestamp_ns) + " ns is outside epoch " +
                    std::to_string(head.epoch.value) + "'s window [" +
                    std::to_string(anchor.schedule.StartNs(head.epoch)) + ", " +
                    std::to_string(anchor.schedule.EndNs(head.epoch)) + ")");
  }
  if (!Ed25519Verify(head.epoch_key, HeadSigningInput(head), head.signature)) {
    return Fail(HeadError::kBadSignature, "the signature does not verify");
  }
  return {};
}

HeadVerdict VerifyHeadSuccessor(const TreeHead& previous, const TreeHead& next) {
  if (next.previous_head_hash != HeadHash(previous)) {
    return Fail(HeadError::kBrokenChain, "previous_head_hash " + next.previous_head_hash.Hex() +
                                             " is not " + HeadHash(previous).Hex());
  }
  if (next.tree_size < previous.tree_size) {
    return Fail(HeadError::kTreeShrank, "tree size went from " +
                                            std::to_string(previous.tree_size) + " to " +
                                            std::to_string(next.tree_size));
  }
  if (next.timestamp_ns < previous.timestamp_ns) {
    return Fail(HeadError::kTimeWentBack, "timestamp went from " +
                                              std::to_string(previous.timestamp_ns) + " to " +
                                              std::to_string(next.timestamp_ns));
  }
  return {};
}

}  // namespace kiroku::integrity::signing

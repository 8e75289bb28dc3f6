#include "integrity/signing/rollover.h"

#include <nlohmann/json.hpp>

#include "integrity/signing/domain.h"
#include "integrity/signing/internal/json_util.h"

namespace kiroku::integrity::signing {

std::string RolloverSigningInput(const TrustAnchor& next) {
  return std::string(kRolloverLabel) + EncodeTrustAnchor(next);
}

Status VerifyRollover(const TrustAnchor& old, const TrustAnchor& next,
                      const RolloverStatement& statement) {
  if (next.previous_fingerprint != Fingerprint(old)) {
    return Status::Corruption("rollover: the new anchor does not name the old one");
  }
  if (next.first_epoch != old.end_epoch() || !(next.schedule == old.schedule)) {
    return Status::Corruption(
        "rollover: the new anchor does not continue the old one's epochs and schedule");
  }
  if (statement.signer_epoch != Epoch{old.end_epoch().value - 1}) {
    return Status::Corruption("rollover: not signed by the old anchor's last epoch key");
  }
  if (!VerifyKeyInclusion(old, statement.signer_epoch, statement.signer_key,
                          statement.signer_key_proof)) {
    return Status::Corruption("rollover: the signing key is not in the old anchor's key tree");
  }
  if (!Ed25519Verify(statement.signer_key, RolloverSigningInput(next), statement.signature)) {
    return Status::Corruption("rollover: bad signature");
  }
  return Status::Ok();
}

std::string RolloverToJson(const TrustAnchor& next, const RolloverStatement& s) {
  nlohmann::ordered_json j;
  j["type"] = "kiroku-anchor-rollover";
  j["anchor"] = nlohmann::ordered_json::parse(TrustAnchorToJson(next));
  j["signer_epoch"] = s.signer_epoch.value;
  j["signer_key"] = s.signer_key.Hex();
  nlohmann::ordered_json proof = nlohmann::ordered_json::array();
  for (const Hash& h : s.signer_key_proof) proof.push_back(h.Hex());
  j["signer_key_proof"] = proof;
  j["signature"] = s.signature.Hex();
  return j.dump(2) + "\n";
}

StatusOr<std::pair<TrustAnchor, RolloverStatement>> RolloverFromJson(std::string_view json) {
  auto doc = internal::ParseJson(json, "rollover statement");
  if (!doc.ok()) return doc.status();
  internal::JsonReader r(*doc, "rollover statement");
  if (r.String("type") != "kiroku-anchor-rollover") {
    r.Fail("type", "is not kiroku-anchor-rollover");
  }
  const nlohmann::json* anchor_json = r.Get("anchor");
  RolloverStatement s;
  s.signer_epoch = Epoch{r.U64("signer_epoch")};
  std::string key = r.Bytes("signer_key", Ed25519PublicKey::kSize);
  s.signer_key_proof = r.HashList("signer_key_proof");
  std::string sig = r.Bytes("signature", Ed25519Signature::kSize);
  if (!r.ok()) return r.status();
  s.signer_key = Ed25519PublicKey::FromBytes(key);
  s.signature = Ed25519Signature::FromBytes(sig);
  auto anchor = TrustAnchorFromJson(anchor_json->dump());
  if (!anchor.ok()) return anchor.status();
  return std::make_pair(*anchor, s);
}

}  // namespace kiroku::integrity::signing

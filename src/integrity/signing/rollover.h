// Rollover: how one trust anchor vouches for the next, so the key horizon can be extended
// without the operator taking a new fingerprint away.
//
// The new anchor continues the epoch numbering (first_epoch = the old end_epoch, same
// schedule) and names the old anchor's fingerprint. Its canonical encoding, behind the
// rollover label, is signed by the key of the old anchor's LAST epoch; the statement carries
// that key and its inclusion proof in the old key tree. A verifier that trusts the old anchor
// checks the proof and the signature and then trusts the new one. docs/formats/keys.md has the
// operator procedure; KeyState::Rollover (key_state.h) makes statements.
//
//   Status s = VerifyRollover(old_anchor, next_anchor, statement);
//   auto [next, statement] = *RolloverFromJson(fs.ReadFile("anchor-00000000000000087600.json"));
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "integrity/hash.h"
#include "integrity/signing/ed25519.h"
#include "integrity/signing/epoch.h"
#include "integrity/signing/trust_anchor.h"

namespace kiroku::integrity::signing {

struct RolloverStatement {
  Epoch signer_epoch;  // the old anchor's last epoch
  Ed25519PublicKey signer_key;
  std::vector<Hash> signer_key_proof;  // inclusion of signer_key in the old key tree
  Ed25519Signature signature;          // over RolloverSigningInput(next)
};

// rollover label || EncodeTrustAnchor(next)
std::string RolloverSigningInput(const TrustAnchor& next);

// Ok iff `statement` proves `next` is the rollover of `old`; kCorruption saying which check
// failed otherwise.
Status VerifyRollover(const TrustAnchor& old, const TrustAnchor& next,
                      const RolloverStatement& statement);

// The anchor file of a rolled-over horizon: {"type": "kiroku-anchor-rollover", "anchor": {...},
// "signer_epoch", "signer_key", "signer_key_proof", "signature"}.
std::string RolloverToJson(const TrustAnchor& next, const RolloverStatement& statement);
StatusOr<std::pair<TrustAnchor, RolloverStatement>> RolloverFromJson(std::string_view json);

}  // namespace kiroku::integrity::signing

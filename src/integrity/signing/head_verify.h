// VerifyHead: checks a signed tree head with nothing but the trust anchor that covers its
// epoch. The verifier side: it depends on the encodings and proof_verify.h, never on the key
// state or the signer.
//
// A head is accepted when its epoch is one the anchor covers, its epoch key is that epoch's
// leaf in the anchor's key tree, its timestamp lies inside the epoch's window, and the
// signature verifies. The window check is what forward security buys: a thief holding the key
// of epoch E cannot produce a valid head with a timestamp before E's window.
//
//   HeadVerdict v = VerifyHead(head, anchor);
//   if (!v.ok()) std::cerr << HeadErrorName(v.error) << ": " << v.detail;
//   HeadVerdict link = VerifyHeadSuccessor(previous, head);
#pragma once

#include <string>
#include <string_view>

#include "integrity/signing/tree_head.h"
#include "integrity/signing/trust_anchor.h"

namespace kiroku::integrity::signing {

enum class HeadError {
  kOk,
  kUnsupportedVersion,  // head or anchor version this code does not know
  kEpochNotInAnchor,    // the anchor does not cover the head's epoch (wrong anchor?)
  kKeyNotInAnchor,      // epoch key or its proof does not match the anchor's key tree
  kWrongEpochForTime,   // timestamp outside the epoch's window
  kBadSignature,
  kBrokenChain,   // previous_head_hash is not the hash of the previous head
  kTreeShrank,    // tree_size smaller than the previous head's
  kTimeWentBack,  // timestamp earlier than the previous head's
};
std::string_view HeadErrorName(HeadError e);  // "bad_signature", "key_not_in_anchor", ...

struct HeadVerdict {
  HeadError error = HeadError::kOk;
  std::string detail;
  bool ok() const { return error == HeadError::kOk; }
};

HeadVerdict VerifyHead(const TreeHead& head, const TrustAnchor& anchor);

// Checks only the link from `previous` to `next` (hash chain, growth, time order); each head
// still needs VerifyHead. Consistency of the two roots is a Merkle consistency proof's job.
HeadVerdict VerifyHeadSuccessor(const TreeHead& previous, const TreeHead& next);

}  // namespace kiroku::integrity::signing

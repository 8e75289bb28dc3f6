// Checking a proof document (proof_builder.h) with nothing but the trust anchor, as
// `kiroku verify-proof` does and as docs/formats/proofs.md tells an independent verifier to:
// the head's signature, its epoch key's inclusion in the anchor's key tree (through any
// rollover statements the proof carries), the head's timestamp inside its epoch, the leaf
// hash recomputed from the leaf encoding and that encoding agreeing with the record shown,
// and the RFC 9162 path to the head's root. This file depends on the verifier-side code
// only (proof_verify.h, head_verify.h), never on the tree or key writers.
//
//   StatusOr<ProofVerdict> v = CheckProof(proof_text, anchor_text);
//   if (!v.ok()) ... unreadable (exit 2);  else if (!v->valid) std::cerr << v->reason;
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace kiroku::verify {

struct ProofVerdict {
  bool valid = false;
  std::string reason;   // why it is invalid; empty when valid
  std::string summary;  // what was proven, e.g. "record 42 is in the tree of size 100 ..."
};

// An error Status when either document cannot be read (not JSON, unknown type, missing
// fields); otherwise the verdict.
StatusOr<ProofVerdict> CheckProof(std::string_view proof_json, std::string_view anchor_json);

}  // namespace kiroku::verify

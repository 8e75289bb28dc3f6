// The witness protocol's messages: what a kiroku sends to another kiroku's POST /witness, and
// the one-line head form kept in witness files (docs/operations.md, "Witnesses").
//
// A submission is {"log": fingerprint, "head": <tree head JSON>, "consistency": {"old_size":
// N, "proof": [hex, ...]}}: the new head plus the RFC 9162 consistency proof from the tree of
// N leaves (the witness's latest head for that log, as far as the sender knows) to the head's
// tree. A witness holding another size answers 409 {"error": "stale_size", "latest_size": M}
// and the sender recomputes the proof from M.
//
//   std::string body = EncodeSubmission({log, head, old_size, proof});
//   StatusOr<WitnessSubmission> back = DecodeSubmission(body);
//   file.Append(HeadJsonLine(head) + "\n");
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "integrity/hash.h"
#include "integrity/signing/tree_head.h"

namespace kiroku::evidence {

// TreeHeadToJson on one line (no newline at the end).
std::string HeadJsonLine(const integrity::signing::TreeHead& head);

struct WitnessSubmission {
  std::string log;  // FormatFingerprint of the sender's trust anchor; may be empty
  integrity::signing::TreeHead head;
  uint64_t old_size = 0;
  std::vector<integrity::Hash> proof;
};

std::string EncodeSubmission(const WitnessSubmission& s);
// kInvalidArgument saying what is malformed.
StatusOr<WitnessSubmission> DecodeSubmission(std::string_view body);

}  // namespace kiroku::evidence

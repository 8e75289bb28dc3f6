// The heads a witness saw: the JSON lines of a witness file (one signed tree head per line,
// as `kiroku serve --witness FILE` appends them) or of another kiroku's
// GET /witness/<anchor-fingerprint>/heads.
//
// Each line is a head in TreeHeadToJson form, or an object that carries one under "head".
// Lines that are not heads are reported, not fatal: the verifier checks what it can.
//
//   WitnessHeads w = ParseWitnessHeads(fs.ReadFile("/mnt/witness/heads.jsonl").value());
//   for (const TreeHead& h : w.heads) ...
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "integrity/signing/tree_head.h"

namespace kiroku::verify {

struct WitnessHeads {
  std::vector<integrity::signing::TreeHead> heads;  // in the order given
  std::vector<std::string> problems;                // "line 7: ..."
};

WitnessHeads ParseWitnessHeads(std::string_view jsonl);

}  // namespace kiroku::verify

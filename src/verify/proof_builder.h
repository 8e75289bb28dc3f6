// Inclusion and consistency proofs as self-contained JSON documents (docs/formats/proofs.md):
// everything a third party needs besides the trust anchor, namely the record's evidence and
// exact leaf encoding, the RFC 9162 path, and the signed head in full with its epoch key's
// proof in the key tree (plus any anchor rollover statements that lead to that key).
//
// Read-only and safe while the server runs: the tiles are copied to a private temporary
// directory before integrity::TileStore opens them (its Open repairs files, which a reader
// must never do to a live store), and leaves come from the journal (journal_leaves.h).
//
//   StatusOr<std::string> json = MakeInclusionProof(fs, "kiroku-data", 4711, std::nullopt);
//   StatusOr<std::string> json = MakeConsistencyProof(fs, "kiroku-data", 1000, 5000);
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/fs.h"
#include "common/status.h"

namespace kiroku::verify {

inline constexpr char kInclusionProofType[] = "kiroku-inclusion-proof";
inline constexpr char kConsistencyProofType[] = "kiroku-consistency-proof";
inline constexpr int kProofVersion = 1;

// Proves record `seq` is in the tree of the signed head of size `size` (default: the smallest
// head covering seq). kNotFound naming the sizes that exist when no head has that size.
StatusOr<std::string> MakeInclusionProof(Fs& fs, const std::string& data_dir, uint64_t seq,
                                         std::optional<uint64_t> size);
// Proves the tree of head size old_size is a prefix of that of new_size. Both must be sizes of
// signed heads.
StatusOr<std::string> MakeConsistencyProof(Fs& fs, const std::string& data_dir, uint64_t old_size,
                                           uint64_t new_size);

}  // namespace kiroku::verify

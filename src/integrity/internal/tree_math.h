// Index arithmetic shared by the writers of the Merkle tree (merkle.cc, frontier.cc,
// tree_reader.cc). The verifier (proof_verify.cc) deliberately does its own.
#pragma once

#include <bit>
#include <cassert>
#include <cstdint>

namespace kiroku::integrity::internal {

// The largest power of two strictly less than n: RFC 9162's split point k.
// REQUIRES: n >= 2.
inline uint64_t SplitPoint(uint64_t n) {
  assert(n >= 2);
  return std::bit_floor(n - 1);
}

}  // namespace kiroku::integrity::internal

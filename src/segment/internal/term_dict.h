// The term dictionary's pieces shared by the writer and the reader: the in-memory table the
// writer collects keys and their blocks in, and the posting-list coding
// (docs/formats/segment.md, "Term dictionary").
//
//   TermTable t;
//   t.Add("host\0web01", 0);
//   t.ForEachSorted([](std::string_view key, std::span<const uint32_t> blocks) { ... });
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "segment/block_set.h"
#include "segment/internal/format.h"

namespace kiroku::segment::internal {

// Distinct keys and, per key, the ascending blocks it occurs in. Blocks must be added in
// non-decreasing order (the writer adds block after block). Keys live in an arena and the hash
// table holds only ids, so a million keys cost tens of MB, not hundreds.
class TermTable {
 public:
  TermTable();
  TermTable(const TermTable&) = delete;
  TermTable& operator=(const TermTable&) = delete;

  // REQUIRES: block >= every block added before.
  void Add(std::string_view key, uint32_t block);
  size_t size() const { return keys_.size(); }
  // Every key in bytewise order with its blocks (ascending, distinct).
  void ForEachSorted(
      const std::function<void(std::string_view, std::span<const uint32_t>)>& fn) const;

 private:
  std::string_view Store(std::string_view key);
  void Grow();

  std::vector<std::unique_ptr<char[]>> chunks_;
  size_t chunk_used_ = 0;
  size_t chunk_cap_ = 0;
  std::vector<std::string_view> keys_;
  std::vector<uint32_t> last_block_;  // per key: the last block added, to drop duplicates
  std::vector<uint64_t> slots_;       // open addressing: 0 empty, else hash32 << 32 | id + 1
  std::vector<std::pair<uint32_t, uint32_t>> pairs_;  // (key id, block), in block order
};

// Appends the posting list of `blocks` (ascending, distinct, non-empty): inline gaps, or a
// CRoaring portable bitmap when that is smaller.
void EncodePosting(std::span<const uint32_t> blocks, std::string* dst);
// Reads one posting list. False when it is damaged or names a block >= block_count.
bool DecodePosting(Cursor* c, uint32_t block_count, BlockSet* out);
// Skips one posting list without building it.
bool SkipPosting(Cursor* c);

}  // namespace kiroku::segment::internal

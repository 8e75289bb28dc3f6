#include "segment/internal/term_dict.h"

#include <algorithm>
#include <cstring>
#include <functional>

namespace kiroku::segment::internal {
namespace {

constexpr size_t kChunkSize = size_t{1} << 20;
// Lists this short are always inline: roaring's 8-byte header cannot beat them.
constexpr size_t kInlineAlways = 8;

size_t HashKey(std::string_view key) { return std::hash<std::string_view>{}(key); }

size_t VarintSize(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

}  // namespace

TermTable::TermTable() : slots_(1024, 0) {}

std::string_view TermTable::Store(std::string_view key) {
  if (key.size() > chunk_cap_ - chunk_used_) {
    size_t cap = std::max(kChunkSize, key.size());
    chunks_.push_back(std::make_unique<char[]>(cap));
    chunk_cap_ = cap;
    chunk_used_ = 0;
  }
  char* dst = chunks_.back().get() + chunk_used_;
  if (!key.empty()) std::memcpy(dst, key.data(), key.size());
  chunk_used_ += key.size();
  return {dst, key.size()};
}

void TermTable::Grow() {
  std::vector<uint64_t> slots(slots_.size() * 2, 0);
  const size_t mask = slots.size() - 1;
  for (uint64_t slot : slots_) {
    if (slot == 0) continue;
    size_t i = (slot >> 32) & mask;
    while (slots[i] != 0) i = (i + 1) & mask;
    slots[i] = slot;
  }
  slots_.swap(slots);
}

void TermTable::Add(std::string_view key, uint32_t block) {
  const size_t h = HashKey(key);
  const auto h32 = static_cast<uint32_t>(h);
  const size_t mask = slots_.size() - 1;
  size_t i = h32 & mask;
  while (true) {
    const uint64_t slot = slots_[i];
    if (slot == 0) break;
    // The hash sits in the slot, so a probe touches the key only when it is likely equal.
    const auto id = static_cast<uint32_t>(slot) - 1;
    if (static_cast<uint32_t>(slot >> 32) == h32 && keys_[id] == key) {
      if (last_block_[id] != block) {
        last_block_[id] = block;
        pairs_.emplace_back(id, block);
      }
      return;
    }
    i = (i + 1) & mask;
  }
  const auto id = static_cast<uint32_t>(keys_.size());
  slots_[i] = (uint64_t{h32} << 32) | (id + 1);
  keys_.push_back(Store(key));
  last_block_.push_back(block);
  pairs_.emplace_back(id, block);
  if (keys_.size() * 2 > slots_.size()) Grow();
}

void TermTable::ForEachSorted(
    const std::function<void(std::string_view, std::span<const uint32_t>)>& fn) const {
  const size_t n = keys_.size();
  // Counting sort of the (key, block) pairs by key keeps each key's blocks in added order.
  std::vector<uint32_t> start(n + 1, 0);
  for (const auto& [id, block] : pairs_) ++start[id + 1];
  for (size_t i = 0; i < n; ++i) start[i + 1] += start[i];
  std::vector<uint32_t> blocks(pairs_.size());
  {
    std::vector<uint32_t> fill(start.begin(), start.end() - 1);
    for (const auto& [id, block] : pairs_) blocks[fill[id]++] = block;
  }
  // Sorted by their first 16 bytes as two big-endian integers (zero-padded: a key that ends
  // early is a prefix and sorts first, as bytewise order wants), and only on a tie by the
  // whole key. Most keys share a field name, so this spares most of the string compares and
  // the cache misses of reaching each key's bytes.
  struct Sortable {
    uint64_t hi;
    uint64_t lo;
    uint32_t id;
  };
  auto be64 = [](std::string_view k, size_t at) {
    uint64_t v = 0;
    for (size_t i = 0; i < 8; ++i) {
      v = (v << 8) | (at + i < k.size() ? static_cast<unsigned char>(k[at + i]) : 0u);
    }
    return v;
  };
  std::vector<Sortable> order(n);
  for (uint32_t i = 0; i < n; ++i) order[i] = {be64(keys_[i], 0), be64(keys_[i], 8), i};
  std::sort(order.begin(), order.end(), [this](const Sortable& a, const Sortable& b) {
    if (a.hi != b.hi) return a.hi < b.hi;
    if (a.lo != b.lo) return a.lo < b.lo;
    return keys_[a.id] < keys_[b.id];
  });
  for (const Sortable& o : order) {
    const uint32_t id = o.id;
    fn(keys_[id], std::span<const uint32_t>(blocks.data() + start[id], start[id + 1] - start[id]));
  }
}

void EncodePosting(std::span<const uint32_t> blocks, std::string* dst) {
  size_t inline_size = 0;
  for (size_t i = 0; i < blocks.size(); ++i) {
    inline_size += VarintSize(i == 0 ? blocks[0] : blocks[i] - blocks[i - 1]);
  }
  if (blocks.size() > kInlineAlways) {
    roaring_bitmap_t* r = roaring_bitmap_of_ptr(blocks.size(), blocks.data());
    roaring_bitmap_run_optimize(r);
    size_t size = roaring_bitmap_portable_size_in_bytes(r);
    if (size + VarintSize(size << 1) < inline_size + VarintSize(blocks.size() << 1)) {
      PutVarint64(dst, (uint64_t{size} << 1) | kPostingRoaringBit);
      size_t at = dst->size();
      dst->resize(at + size);
      roaring_bitmap_portable_serialize(r, dst->data() + at);
      roaring_bitmap_free(r);
      return;
    }
    roaring_bitmap_free(r);
  }
  PutVarint64(dst, uint64_t{blocks.size()} << 1);
  for (size_t i = 0; i < blocks.size(); ++i) {
    PutVarint64(dst, i == 0 ? blocks[0] : blocks[i] - blocks[i - 1]);
  }
}

bool DecodePosting(Cursor* c, uint32_t block_count, BlockSet* out) {
  uint64_t tag = 0;
  if (!c->Varint(&tag)) return false;
  if ((tag & kPostingRoaringBit) != 0) {
    std::string_view bytes;
    if (!c->Bytes(tag >> 1, &bytes)) return false;
    BlockSet s;
    if (!BlockSet::Deserialize(bytes, &s)) return false;
    bool in_range = true;
    s.ForEach([&](uint32_t b) {
      in_range = b < block_count;
      return in_range;
    });
    if (!in_range || s.Empty()) return false;
    *out = std::move(s);
    return true;
  }
  const uint64_t n = tag >> 1;
  // Each entry takes at least one byte, so a damaged count cannot make us loop for long.
  if (n == 0 || n > c->remaining() || n > block_count) return false;
  BlockSet s;
  uint64_t block = 0;
  for (uint64_t i = 0; i < n; ++i) {
    uint64_t gap = 0;
    if (!c->Varint(&gap)) return false;
    if ((i > 0 && gap == 0) || gap >= block_count) return false;
    block += gap;
    if (block >= block_count) return false;
    s.Add(static_cast<uint32_t>(block));
  }
  *out = std::move(s);
  return true;
}

bool SkipPosting(Cursor* c) {
  uint64_t tag = 0;
  if (!c->Varint(&tag)) return false;
  std::string_view bytes;
  if ((tag & kPostingRoaringBit) != 0) return c->Bytes(tag >> 1, &bytes);
  const uint64_t n = tag >> 1;
  if (n == 0 || n > c->remaining()) return false;
  for (uint64_t i = 0; i < n; ++i) {
    uint64_t gap = 0;
    if (!c->Varint(&gap)) return false;
  }
  return true;
}

}  // namespace kiroku::segment::internal

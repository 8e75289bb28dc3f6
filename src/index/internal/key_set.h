// KeySet: the set of distinct byte strings behind TermCollector. Open addressing over one flat
// table whose slots carry the hash and where the key lies in one arena, so a key already present
// costs a hash, one slot read and one compare, and nothing is allocated per key.
//
//   KeySet s;
//   bool added = s.Insert("host.name\0web01");   // true the first time
//   s.ForEach([](std::string_view key) { ... });
//   s.Clear();
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace kiroku::index::internal {

// A multiply-xor hash over 8-byte words: keys are short and each is hashed once per Insert.
inline uint64_t HashKey(std::string_view s) {
  constexpr uint64_t kMul = 0x9E3779B97F4A7C15ull;
  uint64_t h = s.size() * kMul;
  const char* p = s.data();
  size_t n = s.size();
  while (n >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ w) * kMul;
    h ^= h >> 29;
    p += 8;
    n -= 8;
  }
  if (n > 0) {
    uint64_t tail = 0;
    std::memcpy(&tail, p, n);
    h = (h ^ tail) * kMul;
  }
  h ^= h >> 32;
  h *= 0xD6E8FEB86659FD93ull;
  h ^= h >> 32;
  return h | 1;  // 0 marks a free slot
}

class KeySet {
 public:
  explicit KeySet(size_t initial_slots = 1024) : slots_(initial_slots) {}
  KeySet(const KeySet&) = delete;
  KeySet& operator=(const KeySet&) = delete;

  // True when `key` was not in the set (it is now).
  bool Insert(std::string_view key) {
    const uint64_t h = HashKey(key);
    const size_t mask = slots_.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      Slot& s = slots_[i];
      if (s.hash == 0) {
        s = Slot{h, static_cast<uint32_t>(arena_.size()), static_cast<uint32_t>(key.size())};
        arena_.append(key);
        if (++size_ * 2 > slots_.size()) Grow();
        return true;
      }
      if (s.hash == h && s.len == key.size() &&
          std::memcmp(arena_.data() + s.off, key.data(), key.size()) == 0) {
        return false;
      }
    }
  }

  size_t size() const { return size_; }

  template <typename Fn>  // Fn(std::string_view key), in no particular order
  void ForEach(Fn&& fn) const {
    for (const Slot& s : slots_) {
      if (s.hash != 0) fn(std::string_view(arena_.data() + s.off, s.len));
    }
  }

  void Clear() {
    if (size_ == 0) return;
    std::memset(static_cast<void*>(slots_.data()), 0, slots_.size() * sizeof(Slot));
    arena_.clear();
    size_ = 0;
  }

 private:
  struct Slot {
    uint64_t hash = 0;
    uint32_t off = 0;
    uint32_t len = 0;
  };

  void Grow() {
    std::vector<Slot> slots(slots_.size() * 2);
    const size_t mask = slots.size() - 1;
    for (const Slot& s : slots_) {
      if (s.hash == 0) continue;
      size_t i = s.hash & mask;
      while (slots[i].hash != 0) i = (i + 1) & mask;
      slots[i] = s;
    }
    slots_.swap(slots);
  }

  std::vector<Slot> slots_;  // size a power of two, at most half full
  std::string arena_;
  size_t size_ = 0;
};

}  // namespace kiroku::index::internal

#include "integrity/frontier.h"

#include <bit>
#include <cassert>

namespace kiroku::integrity {

std::optional<Frontier> Frontier::FromNodes(uint64_t size, std::vector<Hash> nodes) {
  if (nodes.size() != static_cast<size_t>(std::popcount(size))) return std::nullopt;
  Frontier f;
  f.size_ = size;
  f.nodes_ = std::move(nodes);
  return f;
}

void Frontier::Append(const Hash& leaf_hash, const SubtreeCallback& on_subtree) {
  assert(size_ != UINT64_MAX);
  Hash h = leaf_hash;
  int height = 0;
  // Each trailing one bit of size_ is a complete subtree as tall as the one being carried:
  // merge them, as a binary counter carries.
  for (uint64_t s = size_; (s & 1) != 0; s >>= 1) {
    h = HashChildren(nodes_.back(), h);
    nodes_.pop_back();
    ++height;
    if (on_subtree && height % kStoredHeightStep == 0) {
      on_subtree(height, size_ >> height, h);
    }
  }
  nodes_.push_back(h);
  ++size_;
}

Hash Frontier::Root() const {
  if (nodes_.empty()) return HashEmpty();
  Hash r = nodes_.back();
  for (size_t i = nodes_.size() - 1; i-- > 0;) r = HashChildren(nodes_[i], r);
  return r;
}

std::string Frontier::Serialize() const {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>(size_ >> (56 - 8 * i));
  for (const Hash& h : nodes_) out.append(h.View());
  return out;
}

std::optional<Frontier> Frontier::Parse(std::string_view data) {
  if (data.size() < 8) return std::nullopt;
  uint64_t size = 0;
  for (int i = 0; i < 8; ++i) size = size << 8 | static_cast<uint8_t>(data[i]);
  data.remove_prefix(8);
  if (data.size() != Hash::kSize * static_cast<size_t>(std::popcount(size))) return std::nullopt;
  std::vector<Hash> nodes;
  for (size_t off = 0; off < data.size(); off += Hash::kSize) {
    nodes.push_back(Hash::FromBytes(data.substr(off, Hash::kSize)));
  }
  return FromNodes(size, std::move(nodes));
}

}  // namespace kiroku::integrity

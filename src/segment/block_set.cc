#include "segment/block_set.h"

#include <utility>
#include <vector>

namespace kiroku::segment {

BlockSet::BlockSet() : bitmap_(roaring_bitmap_create()) {}
BlockSet::~BlockSet() {
  if (bitmap_ != nullptr) roaring_bitmap_free(bitmap_);
}
BlockSet::BlockSet(const BlockSet& other) : bitmap_(roaring_bitmap_copy(other.bitmap_)) {}
BlockSet& BlockSet::operator=(const BlockSet& other) {
  if (this != &other) {
    roaring_bitmap_t* copy = roaring_bitmap_copy(other.bitmap_);
    roaring_bitmap_free(bitmap_);
    bitmap_ = copy;
  }
  return *this;
}
// The moved-from set is left empty and usable (it gets the other's old bitmap).
BlockSet::BlockSet(BlockSet&& other) noexcept : bitmap_(roaring_bitmap_create()) {
  std::swap(bitmap_, other.bitmap_);
}
BlockSet& BlockSet::operator=(BlockSet&& other) noexcept {
  std::swap(bitmap_, other.bitmap_);
  return *this;
}

BlockSet BlockSet::All(uint32_t block_count) {
  BlockSet s;
  if (block_count > 0) roaring_bitmap_add_range_closed(s.bitmap_, 0, block_count - 1);
  return s;
}

void BlockSet::Add(uint32_t block) { roaring_bitmap_add(bitmap_, block); }
bool BlockSet::Contains(uint32_t block) const { return roaring_bitmap_contains(bitmap_, block); }
uint64_t BlockSet::Cardinality() const { return roaring_bitmap_get_cardinality(bitmap_); }
bool BlockSet::Empty() const { return roaring_bitmap_is_empty(bitmap_); }
void BlockSet::IntersectWith(const BlockSet& other) {
  roaring_bitmap_and_inplace(bitmap_, other.bitmap_);
}
void BlockSet::UnionWith(const BlockSet& other) {
  roaring_bitmap_or_inplace(bitmap_, other.bitmap_);
}
void BlockSet::Subtract(const BlockSet& other) {
  roaring_bitmap_andnot_inplace(bitmap_, other.bitmap_);
}

namespace {
struct ForEachState {
  const std::function<bool(uint32_t)>* fn;
};
bool ForEachThunk(uint32_t value, void* param) {
  return (*static_cast<ForEachState*>(param)->fn)(value);
}
}  // namespace

void BlockSet::ForEach(const std::function<bool(uint32_t)>& fn) const {
  ForEachState state{&fn};
  roaring_iterate(bitmap_, ForEachThunk, &state);
}

std::string BlockSet::Serialize() const {
  // On a copy: a const BlockSet may be read by several threads at once.
  roaring_bitmap_t* copy = roaring_bitmap_copy(bitmap_);
  roaring_bitmap_run_optimize(copy);
  std::string out(roaring_bitmap_portable_size_in_bytes(copy), '\0');
  out.resize(roaring_bitmap_portable_serialize(copy, out.data()));
  roaring_bitmap_free(copy);
  return out;
}

namespace {
struct CollectState {
  std::vector<uint32_t>* values;
  bool increasing = true;
};
bool CollectThunk(uint32_t value, void* param) {
  auto* st = static_cast<CollectState*>(param);
  if (!st->values->empty() && value <= st->values->back()) {
    st->increasing = false;
    return false;
  }
  st->values->push_back(value);
  return true;
}
}  // namespace

bool BlockSet::Deserialize(std::string_view bytes, BlockSet* out) {
  // The size check first: deserialize_safe reads at most `bytes.size()` bytes, but the size
  // function also rejects headers whose containers would not fit.
  size_t need = roaring_bitmap_portable_deserialize_size(bytes.data(), bytes.size());
  if (need == 0 || need > bytes.size()) return false;
  roaring_bitmap_t* raw = roaring_bitmap_portable_deserialize_safe(bytes.data(), bytes.size());
  if (raw == nullptr) return false;
  // Damaged containers can deserialise with broken invariants (unsorted arrays, overlapping
  // runs, a wrong cardinality) that later operations trust. Rebuild from the values, which
  // must come out strictly increasing, so what we keep is always well-formed.
  std::vector<uint32_t> values;
  CollectState st{&values};
  roaring_iterate(raw, CollectThunk, &st);
  bool ok = st.increasing && values.size() == roaring_bitmap_get_cardinality(raw);
  roaring_bitmap_free(raw);
  if (!ok) return false;
  BlockSet s;
  if (!values.empty()) roaring_bitmap_add_many(s.bitmap_, values.size(), values.data());
  roaring_bitmap_run_optimize(s.bitmap_);
  *out = std::move(s);
  return true;
}

bool operator==(const BlockSet& a, const BlockSet& b) {
  return roaring_bitmap_equals(a.bitmap_, b.bitmap_);
}

}  // namespace kiroku::segment

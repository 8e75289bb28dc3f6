// File layout (docs/formats/merkle.md, "Tile files"):
//
//   DATA/merkle/level-08.hashes   entry k = hash of leaves [256k, 256k + 256)
//   DATA/merkle/level-16.hashes   entry k = hash of leaves [65536k, 65536k + 65536)
//   ...
//   each file = *(32-byte hash), no header; an entry's offset is 32 * k.
//
// Invariant after Open(): Count(h + 8) == Count(h) / 256 for every stored height h.
#include "integrity/tile_store.h"

#include <algorithm>
#include <cstdio>
#include <type_traits>

#include "integrity/merkle.h"

namespace kiroku::integrity {
namespace {

bool IsStoredHeight(int height) {
  return height >= kStoredHeightStep && height <= TileStore::kMaxStoredHeight &&
         height % kStoredHeightStep == 0;
}

}  // namespace

std::string TileStore::FileName(int height) {
  char name[32];
  std::snprintf(name, sizeof(name), "level-%02d.hashes", height);
  return name;
}

std::string TileStore::PathOf(int height) const { return JoinPath(dir_, FileName(height)); }

TileStore::~TileStore() {
  for (Level& l : levels_) {
    if (l.writer) (void)l.writer->Close();
  }
}

StatusOr<std::unique_ptr<TileStore>> TileStore::Open(Fs& fs, std::string dir,
                                                     TileRecovery* recovery) {
  KIROKU_RETURN_IF_ERROR(fs.CreateDirs(dir));
  auto names = fs.ListDir(dir);
  if (!names.ok()) return names.status();
  std::unique_ptr<TileStore> store(new TileStore(fs, std::move(dir)));
  for (int h = kStoredHeightStep; h <= kMaxStoredHeight; h += kStoredHeightStep) {
    for (const std::string& name : *names) {
      if (name == FileName(h)) KIROKU_RETURN_IF_ERROR(store->OpenLevel(h));
    }
  }
  TileRecovery local;
  KIROKU_RETURN_IF_ERROR(store->Recover(recovery != nullptr ? recovery : &local));
  return store;
}

Status TileStore::OpenLevel(int height) {
  Level& l = levels_[Slot(height)];
  auto w = fs_.OpenAppendable(PathOf(height));
  if (!w.ok()) return w.status();
  auto r = fs_.OpenReadable(PathOf(height));
  if (!r.ok()) return r.status();
  l.writer = std::move(*w);
  l.reader = std::move(*r);
  l.count.store(l.writer->Size() / Hash::kSize, std::memory_order_release);
  return Status::Ok();
}

Status TileStore::Recover(TileRecovery* recovery) {
  bool changed = false;
  for (Level& l : levels_) {
    if (!l.writer) continue;
    uint64_t size = l.writer->Size();
    if (uint64_t torn = size % Hash::kSize; torn != 0) {
      KIROKU_RETURN_IF_ERROR(l.writer->Truncate(size - torn));
      recovery->torn_bytes_dropped += torn;
      changed = true;
    }
  }
  // Bottom-up, so a height is repaired against an already repaired height below.
  for (int h = 2 * kStoredHeightStep; h <= kMaxStoredHeight; h += kStoredHeightStep) {
    Level& l = levels_[Slot(h)];
    const uint64_t backed = Count(h - kStoredHeightStep) / kGroup;
    const uint64_t have = Count(h);
    if (have > backed) {
      KIROKU_RETURN_IF_ERROR(l.writer->Truncate(backed * Hash::kSize));
      l.count.store(backed, std::memory_order_release);
      recovery->unbacked_dropped += have - backed;
      changed = true;
    }
    for (uint64_t k = have; k < backed; ++k) {
      auto below = ReadRange(h - kStoredHeightStep, k * kGroup, (k + 1) * kGroup);
      if (!below.ok()) return below.status();
      KIROKU_RETURN_IF_ERROR(Append(h, RootOf(*below)));
      ++recovery->recomputed;
      changed = true;
    }
  }
  if (changed) return Sync();
  return Status::Ok();
}

Status TileStore::Append(int height, const Hash& hash) {
  Level& l = levels_[Slot(height)];
  if (!l.writer) {
    KIROKU_RETURN_IF_ERROR(OpenLevel(height));
    dir_dirty_ = true;
  }
  const uint64_t count = l.count.load(std::memory_order_relaxed);
  if (Status s = l.writer->Append(hash.View()); !s.ok()) {
    // Take back a partial hash so the file stays whole entries; the error stays sticky.
    (void)l.writer->Truncate(count * Hash::kSize);
    error_ = s;
    return s;
  }
  l.count.store(count + 1, std::memory_order_release);
  return Status::Ok();
}

Status TileStore::Add(int height, uint64_t index, const Hash& hash) {
  if (!error_.ok()) return error_;
  if (!IsStoredHeight(height)) {
    return Status::InvalidArgument("tile store: height " + std::to_string(height) +
                                   " is not stored");
  }
  const uint64_t count = Count(height);
  if (index < count) {
    auto stored = Get(height, index);
    if (!stored.ok()) return stored.status();
    if (*stored != hash) {
      return Status::Corruption("tile store: " + FileName(height) + " entry " +
                                std::to_string(index) + " is " + stored->Hex() + ", recomputed " +
                                hash.Hex());
    }
    return Status::Ok();
  }
  if (index > count) {
    return Status::InvalidArgument("tile store: " + FileName(height) + " has " +
                                   std::to_string(count) + " entries, cannot add entry " +
                                   std::to_string(index));
  }
  return Append(height, hash);
}

Frontier::SubtreeCallback TileStore::Sink() {
  return [this](int height, uint64_t index, const Hash& hash) {
    Status s = Add(height, index, hash);
    if (!s.ok() && error_.ok()) error_ = s;
  };
}

Status TileStore::Sync() {
  if (!error_.ok()) return error_;
  for (Level& l : levels_) {
    if (!l.writer) continue;
    if (Status s = l.writer->Sync(); !s.ok()) {
      // After a failed fsync the kernel may have dropped the dirty pages: never retry as if
      // nothing happened.
      error_ = s;
      return s;
    }
  }
  if (dir_dirty_) {
    if (Status s = fs_.SyncDir(dir_); !s.ok()) {
      error_ = s;
      return s;
    }
    dir_dirty_ = false;
  }
  return Status::Ok();
}

Status TileStore::status() const { return error_; }

uint64_t TileStore::Count(int height) const {
  if (!IsStoredHeight(height)) return 0;
  return levels_[Slot(height)].count.load(std::memory_order_acquire);
}

StatusOr<Hash> TileStore::Get(int height, uint64_t index) const {
  auto range = ReadRange(height, index, index + 1);
  if (!range.ok()) return range.status();
  return (*range)[0];
}

StatusOr<std::vector<Hash>> TileStore::ReadRange(int height, uint64_t begin, uint64_t end) const {
  if (!IsStoredHeight(height) || begin > end || end > Count(height)) {
    return Status::InvalidArgument("tile store: entries [" + std::to_string(begin) + ", " +
                                   std::to_string(end) + ") of height " + std::to_string(height) +
                                   " are not stored");
  }
  std::vector<Hash> out(end - begin);
  if (out.empty()) return out;
  const Level& l = levels_[Slot(height)];
  char* buf = reinterpret_cast<char*>(out.data());
  static_assert(sizeof(Hash) == Hash::kSize && std::is_trivially_copyable_v<Hash>);
  const size_t want = out.size() * Hash::kSize;
  size_t got = 0;
  while (got < want) {
    auto n = l.reader->Read(begin * Hash::kSize + got, want - got, buf + got);
    if (!n.ok()) return n.status();
    if (*n == 0) {
      return Status::DataLoss("tile store: " + FileName(height) + " is shorter than its " +
                              std::to_string(Count(height)) + " entries");
    }
    got += *n;
  }
  return out;
}

StatusOr<Hash> TileStore::SubtreeHash(int height, uint64_t index) const {
  if (height < kStoredHeightStep || height > 63) {
    return Status::InvalidArgument("tile store: no stored subtrees at height " +
                                   std::to_string(height));
  }
  const int stored = height - height % kStoredHeightStep;
  const uint64_t width = uint64_t{1} << (height - stored);
  auto below = ReadRange(stored, index * width, (index + 1) * width);
  if (!below.ok()) return below.status();
  return RootOf(*below);
}

uint64_t TileStore::RestoreBase(uint64_t size) const {
  return std::min(size & ~(kGroup - 1), Coverage());
}

StatusOr<Frontier> TileStore::RestoreFrontier(uint64_t size, std::span<const Hash> tail_leaves) {
  const uint64_t base = RestoreBase(size);
  if (tail_leaves.size() != size - base) {
    return Status::InvalidArgument("tile store: restoring size " + std::to_string(size) +
                                   " needs the " + std::to_string(size - base) + " leaves from " +
                                   std::to_string(base) + ", got " +
                                   std::to_string(tail_leaves.size()));
  }
  // One complete subtree per set bit of base, largest first; all are at heights >= 8.
  std::vector<Hash> nodes;
  for (int b = 63; b >= kStoredHeightStep; --b) {
    const uint64_t bit = uint64_t{1} << b;
    if ((base & bit) == 0) continue;
    auto h = SubtreeHash(b, (base & ~(bit - 1) & ~bit) >> b);
    if (!h.ok()) return h.status();
    nodes.push_back(*h);
  }
  auto frontier = Frontier::FromNodes(base, std::move(nodes));
  auto sink = Sink();
  for (const Hash& leaf : tail_leaves) frontier->Append(leaf, sink);
  if (!error_.ok()) return error_;
  return std::move(*frontier);
}

Status TileStore::CheckLevels() const {
  for (int h = 2 * kStoredHeightStep; h <= kMaxStoredHeight; h += kStoredHeightStep) {
    const uint64_t count = Count(h);
    if (count > Count(h - kStoredHeightStep) / kGroup) {
      return Status::Corruption("tile store: " + FileName(h) +
                                " has entries the height below "
                                "does not back");
    }
    for (uint64_t k = 0; k < count; ++k) {
      auto below = ReadRange(h - kStoredHeightStep, k * kGroup, (k + 1) * kGroup);
      if (!below.ok()) return below.status();
      auto entry = Get(h, k);
      if (!entry.ok()) return entry.status();
      if (RootOf(*below) != *entry) {
        return Status::Corruption("tile store: " + FileName(h) + " entry " + std::to_string(k) +
                                  " is not the root of " + FileName(h - kStoredHeightStep) +
                                  " entries [" + std::to_string(k * kGroup) + ", " +
                                  std::to_string((k + 1) * kGroup) + ")");
      }
    }
  }
  return Status::Ok();
}

}  // namespace kiroku::integrity

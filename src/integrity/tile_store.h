// TileStore: the persisted interior of the Merkle tree, one append-only file of 32-byte
// hashes per stored height (8, 16, 24, ...), in the manner of Go's tlog tiles.
//
// Height 8 holds the hash of every complete 256-leaf subtree in order, height 16 of every
// complete 65536-leaf subtree, and so on: 32 / 256 = 0.125 byte per record, plus 1/256 of
// that for each height above. Leaf hashes are never stored; a proof recomputes the few it
// needs from the journal (tree_reader.h). With these hashes the writer's Frontier is rebuilt
// at start-up from O(log n) stored hashes plus at most 255 recomputed leaves, instead of
// rehashing the log (the CT C++ server's mistake).
//
// Files live in one directory (DATA/merkle/): "level-08.hashes", "level-16.hashes", ...
// (docs/formats/merkle.md). Open() recovers from a crash: it cuts a torn partial hash off the
// end of each file, cuts entries of a height that are not backed by the height below, and
// recomputes entries of a height that lag behind the height below. Add() is idempotent for
// entries already stored (it checks they match), so replaying leaves after a crash is safe.
//
// Thread-safety: one writer (Add, Sync); reads (Get, ReadRange, SubtreeHash) may run
// concurrently with it and see every entry whose Add has returned.
//
//   auto store = TileStore::Open(fs, data_dir + "/merkle");
//   uint64_t base = (*store)->RestoreBase(journal_size);
//   std::vector<Hash> tail = ...;  // leaf hashes of records [base, journal_size)
//   auto frontier = (*store)->RestoreFrontier(journal_size, tail);
//   frontier->Append(leaf, (*store)->Sink());
//   KIROKU_RETURN_IF_ERROR((*store)->Sync());  // before signing a head over the new size
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "common/fs.h"
#include "common/status.h"
#include "integrity/frontier.h"
#include "integrity/hash.h"

namespace kiroku::integrity {

// What Open() repaired, for the log.
struct TileRecovery {
  uint64_t torn_bytes_dropped = 0;  // partial hashes cut off file ends
  uint64_t unbacked_dropped = 0;    // entries cut because the height below lacked them
  uint64_t recomputed = 0;          // entries rebuilt from the height below
};

class TileStore {
 public:
  // Heights 8, 16, ..., 56: a subtree of 2^64 leaves can never complete.
  static constexpr int kMaxStoredHeight = 56;
  static constexpr int kLevels = kMaxStoredHeight / kStoredHeightStep;
  static constexpr uint64_t kGroup = uint64_t{1} << kStoredHeightStep;  // 256

  // Opens (creating if needed) the store in `dir` and recovers it (see above).
  static StatusOr<std::unique_ptr<TileStore>> Open(Fs& fs, std::string dir,
                                                   TileRecovery* recovery = nullptr);
  ~TileStore();
  TileStore(const TileStore&) = delete;
  TileStore& operator=(const TileStore&) = delete;

  // "level-08.hashes" for height 8. REQUIRES: height is a stored height.
  static std::string FileName(int height);

  // Records the hash of the complete subtree `index` at `height`. An index below Count() is
  // checked against the stored entry (kCorruption on mismatch); Count() appends; anything
  // above is kInvalidArgument (a gap). After a write error every later call returns it.
  Status Add(int height, uint64_t index, const Hash& hash);
  // A Frontier callback that Adds and keeps the first error for Sync()/status() to return.
  Frontier::SubtreeCallback Sink();

  // Durably stores everything added, lower heights first. Call before signing a head.
  Status Sync();
  // The first error of Add, Sink or Sync, if any.
  Status status() const;

  // Entries stored at `height` (0 for heights never reached).
  uint64_t Count(int height) const;
  // Leaves covered by complete 256-leaf subtrees: Count(8) * 256.
  uint64_t Coverage() const { return Count(kStoredHeightStep) * kGroup; }

  StatusOr<Hash> Get(int height, uint64_t index) const;
  // Entries [begin, end) of `height`. REQUIRES: begin <= end <= Count(height).
  StatusOr<std::vector<Hash>> ReadRange(int height, uint64_t begin, uint64_t end) const;
  // The hash of the complete subtree `index` at any height >= 8, from the stored height at or
  // below it (at most 128 stored hashes read and combined).
  // REQUIRES: height >= 8 and (index + 1) << height <= Coverage().
  StatusOr<Hash> SubtreeHash(int height, uint64_t index) const;

  // Where RestoreFrontier needs the caller's leaves from for a tree of `size` leaves: the
  // largest multiple of 256 that is <= size and covered by the store.
  uint64_t RestoreBase(uint64_t size) const;
  // The Frontier of the tree of `size` leaves, from stored hashes for the first
  // RestoreBase(size) leaves and tail_leaves for the rest. Subtrees the tail completes go
  // to Add() (checked if already stored, appended if not).
  // REQUIRES: tail_leaves.size() == size - RestoreBase(size).
  StatusOr<Frontier> RestoreFrontier(uint64_t size, std::span<const Hash> tail_leaves);

  // For `kiroku verify`: every entry of every height above 8 equals the root of the 256
  // entries below it. kCorruption naming the first mismatch.
  Status CheckLevels() const;

 private:
  struct Level {
    std::unique_ptr<WritableFile> writer;
    std::unique_ptr<RandomAccessFile> reader;
    std::atomic<uint64_t> count{0};
  };
  TileStore(Fs& fs, std::string dir) : fs_(fs), dir_(std::move(dir)) {}
  static int Slot(int height) { return height / kStoredHeightStep - 1; }
  std::string PathOf(int height) const;
  Status OpenLevel(int height);
  Status Recover(TileRecovery* recovery);
  Status Append(int height, const Hash& hash);

  Fs& fs_;
  const std::string dir_;
  std::array<Level, kLevels> levels_;
  bool dir_dirty_ = false;  // a file was created since the last SyncDir
  Status error_;            // sticky; written by the writer thread only
};

}  // namespace kiroku::integrity

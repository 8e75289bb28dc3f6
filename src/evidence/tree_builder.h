// TreeBuilder: the Merkle tree of the live log, grown on its own thread from the frames the
// committer has made durable.
//
// The committer's writer thread hands every durable group's frames to Observer(), which only
// moves them onto a queue. The builder thread decodes each frame (record_codec.h), hashes the
// canonical leaf (LeafHashOf), appends it to the Frontier, and the subtrees that completes go
// to the TileStore in DATA/merkle/. Readers (the head issuer, /metrics) get the current size
// and root under a mutex; SyncedSnapshot() also makes the tiles durable first, which is what a
// head may be signed over.
//
// Start-up never rehashes the log: Open recovers the tile store, and Start recomputes only the
// leaves after the tiles' coverage from the journal (at most 255 after a clean stop) and
// rebuilds the frontier from stored hashes. A journal with fewer records than the tiles cover
// is truncation evidence: Start refuses (kDataLoss naming both numbers) and leaves the tiles
// alone.
//
//   auto tree = TreeBuilder::Open(fs, data + "/merkle", data + "/journal", &recovery);
//   copts.on_committed = (*tree)->Observer();
//   auto committer = store::Committer::Open(fs, clock, metrics, copts);
//   KIROKU_RETURN_IF_ERROR((*tree)->Start((*committer)->last_durable().value, &report));
//   StatusOr<TreeSnapshot> snap = (*tree)->SyncedSnapshot();   // before signing a head
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/fs.h"
#include "common/record.h"
#include "common/status.h"
#include "integrity/frontier.h"
#include "integrity/hash.h"
#include "integrity/tile_store.h"
#include "store/committer.h"

namespace kiroku::evidence {

struct TreeSnapshot {
  uint64_t size = 0;
  integrity::Hash root;  // HashEmpty() for the empty tree
};

// What Start found, for the server log and the start audit record.
// What the head issuer needs of a tree; TreeBuilder is the real one, tests fake it.
class TreeSource {
 public:
  virtual ~TreeSource() = default;
  virtual uint64_t size() const = 0;
  // Makes the tree's stored state durable and returns the tree it backs.
  virtual StatusOr<TreeSnapshot> SyncedSnapshot() = 0;
};

struct TreeStartReport {
  uint64_t tile_coverage = 0;      // leaves the tiles covered at start
  uint64_t journal_records = 0;    // records in the journal at start
  uint64_t restore_base = 0;       // leaves taken from stored hashes
  uint64_t leaves_recomputed = 0;  // leaves rehashed from the journal
};

class TreeBuilder final : public TreeSource {
 public:
  // Opens (creating) the tile store in merkle_dir and recovers it; `recovery` says what that
  // did. Nothing is computed until Start.
  static StatusOr<std::unique_ptr<TreeBuilder>> Open(Fs& fs, std::string merkle_dir,
                                                     std::string journal_dir,
                                                     integrity::TileRecovery* recovery = nullptr);
  ~TreeBuilder() override;  // Stop()s
  TreeBuilder(const TreeBuilder&) = delete;
  TreeBuilder& operator=(const TreeBuilder&) = delete;

  // For CommitterOptions::on_committed: queues the frames and returns. Frames queued before
  // Start are processed after it.
  store::CommittedObserver Observer();

  // Restores the tree of the first `journal_records` records and starts the builder thread.
  // REQUIRES: called once; journal_records is the committer's last durable seq at a moment
  // before which every later record is still to come through Observer().
  Status Start(uint64_t journal_records, TreeStartReport* report = nullptr);

  // The tree over every record processed so far.
  TreeSnapshot Snapshot() const;
  uint64_t size() const override;
  // Syncs the tiles, then returns the tree they back: what a head may be signed over.
  StatusOr<TreeSnapshot> SyncedSnapshot() override;
  // Blocks until size() >= n or `timeout_ns` of real time pass; true if the size was reached.
  bool WaitForSize(uint64_t n, int64_t timeout_ns) const;
  // The first error of the builder thread (a frame that does not decode, a seq out of order,
  // a tile write); the tree stops growing after it.
  Status status() const;

  // Processes everything queued, then stops the thread. Idempotent.
  void Stop();

  const integrity::TileStore& tiles() const { return *tiles_; }

  // Optional: called on the builder thread with every record it appends, in sequence order,
  // after hashing (the clock watch reads device and receive times there: the record is
  // decoded once for both). Must be cheap and must not call back into the tree.
  // REQUIRES: before Start.
  void SetRecordHook(std::function<void(const RecordView&)> hook) { hook_ = std::move(hook); }

 private:
  struct Group {
    uint64_t first;
    std::vector<std::string> frames;
  };
  TreeBuilder(Fs& fs, std::string journal_dir, std::unique_ptr<integrity::TileStore> tiles)
      : fs_(fs), journal_dir_(std::move(journal_dir)), tiles_(std::move(tiles)) {}
  void Run();
  Status AppendGroup(const Group& g);  // REQUIRES: mu_ held

  Fs& fs_;
  const std::string journal_dir_;
  std::unique_ptr<integrity::TileStore> tiles_;

  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::deque<Group> queue_;
  bool stopping_ = false;
  std::thread thread_;

  mutable std::mutex mu_;  // frontier_, error_, tile writes and syncs
  mutable std::condition_variable grew_;
  integrity::Frontier frontier_;
  Status error_;
  std::string scratch_;
  std::function<void(const RecordView&)> hook_;
};

}  // namespace kiroku::evidence

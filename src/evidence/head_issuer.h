// HeadIssuer: the thread that signs tree heads over the live tree and keeps them in DATA/heads/.
//
// Cadence (docs/operations.md, "Signed tree heads"): a head at start, then whenever the tree
// has grown and `interval` (default 1 s) has passed since the last head, and right after every
// epoch boundary even when idle, so each epoch's key signs something before the next epoch's
// ratchet erases it: at least one head per epoch. Before signing it syncs the tiles (a head
// never names a tree the disk cannot back). HeadSigner ratchets the key at an epoch change;
// the issuer then writes an `epoch-change` self-audit record. Every head goes to the
// listeners (the witness senders), which must only queue it.
//
// Time comes from the Clock, so tests drive the cadence with a FakeClock and call Tick()
// instead of starting the thread.
//
//   HeadIssuer issuer(tree, keys, heads, clock, sync, metrics, {});
//   issuer.SetAuditSink([&](AuditEvent e) { audit.Write(std::move(e)); });
//   issuer.AddListener([&](const TreeHead& h) { witness.Offer(h); });
//   issuer.Start();
//   ...
//   issuer.Stop(/*final_head=*/true);
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/metrics.h"
#include "common/status.h"
#include "evidence/audit_log.h"
#include "evidence/tree_builder.h"
#include "integrity/signing/clock_sync.h"
#include "integrity/signing/head_signer.h"
#include "integrity/signing/head_store.h"
#include "integrity/signing/key_state.h"
#include "integrity/signing/tree_head.h"
#include "integrity/tile_store.h"
#include "integrity/tree_reader.h"

namespace kiroku::evidence {

struct HeadIssuerOptions {
  int64_t interval_ns = 1'000'000'000;  // most time between heads while the tree grows
  int64_t poll_ns = 100'000'000;        // how often the thread looks (real time)
};

// Start-up check: the tree must extend the latest head the server signed (at least as many
// records, and the same root at that head's size). kDataLoss or kCorruption naming the sizes
// and roots otherwise: the journal or tiles were truncated or rewritten after signing.
Status CheckTreeExtendsHead(const integrity::signing::TreeHead& latest, uint64_t tree_size,
                            const integrity::TileStore& tiles, const integrity::LeafSource& leaves);

class HeadIssuer {
 public:
  using Listener = std::function<void(const integrity::signing::TreeHead&)>;

  // Keeps references to everything; they must outlive the issuer. Registers the metrics.
  HeadIssuer(TreeSource& tree, integrity::signing::KeyState& keys,
             integrity::signing::HeadStore& heads, const Clock& clock,
             const integrity::signing::ClockSyncSource& sync, Metrics& metrics,
             HeadIssuerOptions options);
  ~HeadIssuer();  // Stop(false)
  HeadIssuer(const HeadIssuer&) = delete;
  HeadIssuer& operator=(const HeadIssuer&) = delete;

  // REQUIRES: before Start.
  void AddListener(Listener listener);
  void SetAuditSink(AuditSink sink);

  // Issues a head if one is due (see above); true if it did.
  StatusOr<bool> Tick();
  // Issues a head now, due or not.
  StatusOr<integrity::signing::TreeHead> IssueNow();

  void Start();
  // Stops the thread; with final_head, then issues one last head (the orderly stop).
  void Stop(bool final_head);

  std::optional<integrity::signing::TreeHead> latest() const;

 private:
  void Run();

  TreeSource& tree_;
  integrity::signing::KeyState& keys_;
  integrity::signing::HeadStore& heads_;
  const Clock& clock_;
  integrity::signing::HeadSigner signer_;
  const HeadIssuerOptions options_;
  std::vector<Listener> listeners_;
  AuditSink audit_;

  Counter& heads_total_;
  Counter& head_errors_;
  Gauge& last_timestamp_;
  Gauge& key_epoch_;

  mutable std::mutex issue_mu_;  // one head at a time; guards the fields below
  std::optional<int64_t> last_issue_mono_ns_;
  bool error_logged_ = false;

  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace kiroku::evidence

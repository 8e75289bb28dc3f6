// Witness senders: every signed tree head goes to the witnesses named by `--witness`, on
// background threads, so a slow or dead witness never delays head issuing.
//
// A FILE target gets every head appended as one JSON line and fdatasynced (the file is meant
// to live on other media: a rollback of the data directory cannot reach it). A URL target
// (http://host:port[/prefix]) gets the newest head POSTed to URL/witness with a consistency
// proof from the witness's latest size (witness_protocol.h); heads issued while a POST is
// under way are collapsed to the newest. Failures are retried with backoff (1 s doubling to
// 60 s), counted in kiroku_witness_errors_total{witness=...}, logged and written to the
// self-audit log once per failure streak (witness-failure) and once at recovery
// (witness-recovery).
//
//   auto w = MakeWitnessSender("/mnt/usb/kiroku-heads.jsonl", ctx);
//   issuer.AddListener([&](const TreeHead& h) { (*w)->Offer(h); });
//   ...
//   (*w)->Stop(5'000'000'000);   // deliver what is pending for up to 5 s
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "common/fs.h"
#include "common/metrics.h"
#include "common/status.h"
#include "evidence/audit_log.h"
#include "integrity/signing/tree_head.h"
#include "integrity/tile_store.h"

namespace kiroku::evidence {

// Counts a witness's failures and reports the first of each streak and the recovery after it.
class WitnessHealth {
 public:
  WitnessHealth(std::string witness, Metrics& metrics, AuditSink audit);
  void Failed(const std::string& what);
  void Succeeded(uint64_t tree_size);
  uint64_t errors() const { return errors_.value(); }

 private:
  const std::string witness_;
  Counter& errors_;
  AuditSink audit_;
  std::mutex mu_;
  bool failing_ = false;
  uint64_t streak_ = 0;
};

class WitnessSender {
 public:
  virtual ~WitnessSender() = default;
  // Queues a head; never blocks.
  virtual void Offer(const integrity::signing::TreeHead& head) = 0;
  // Tries to deliver what is pending for up to drain_timeout_ns, then stops the thread.
  virtual void Stop(int64_t drain_timeout_ns) = 0;
};

struct WitnessContext {
  Fs* fs = nullptr;
  Metrics* metrics = nullptr;
  AuditSink audit;
  const integrity::TileStore* tiles = nullptr;  // for consistency proofs (URL targets)
  std::string journal_dir;                      // ditto: leaves are recomputed from it
  std::string log_fingerprint;                  // FormatFingerprint of this server's anchor
};

// A URL target when it starts with http:// (or https://), else a file path. Starts the thread.
StatusOr<std::unique_ptr<WitnessSender>> MakeWitnessSender(const std::string& target,
                                                           const WitnessContext& ctx);

}  // namespace kiroku::evidence

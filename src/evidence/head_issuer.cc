#include "evidence/head_issuer.h"

#include <spdlog/spdlog.h>

#include <chrono>

namespace kiroku::evidence {

using integrity::signing::Epoch;
using integrity::signing::TreeHead;

Status CheckTreeExtendsHead(const TreeHead& latest, uint64_t tree_size,
                            const integrity::TileStore& tiles,
                            const integrity::LeafSource& leaves) {
  if (latest.tree_size > tree_size) {
    return Status::DataLoss("the latest signed tree head covers " +
                            std::to_string(latest.tree_size) + " records but the log now has " +
                            std::to_string(tree_size) +
                            ": records were removed after they were signed (truncation?). "
                            "Refusing to start; run `kiroku verify`");
  }
  integrity::TreeReader reader(tiles, leaves);
  StatusOr<integrity::Hash> root = reader.RootAt(latest.tree_size);
  if (!root.ok()) return root.status();
  if (*root != latest.root_hash) {
    return Status::Corruption("the first " + std::to_string(latest.tree_size) +
                              " records hash to root " + root->Hex() +
                              " but the latest signed tree head says " + latest.root_hash.Hex() +
                              ": the log was rewritten after it was signed. Refusing to start; "
                              "run `kiroku verify`");
  }
  return Status::Ok();
}

HeadIssuer::HeadIssuer(TreeSource& tree, integrity::signing::KeyState& keys,
                       integrity::signing::HeadStore& heads, const Clock& clock,
                       const integrity::signing::ClockSyncSource& sync, Metrics& metrics,
                       HeadIssuerOptions options)
    : tree_(tree),
      keys_(keys),
      heads_(heads),
      clock_(clock),
      signer_(keys, clock, sync),
      options_(options),
      heads_total_(metrics.GetCounter("kiroku_heads_total", "Signed tree heads issued")),
      head_errors_(metrics.GetCounter("kiroku_head_errors_total",
                                      "Attempts to issue a signed tree head that failed")),
      last_timestamp_(metrics.GetGauge("kiroku_head_last_timestamp_seconds",
                                       "Timestamp of the latest signed tree head (Unix seconds)")),
      key_epoch_(metrics.GetGauge("kiroku_key_epoch",
                                  "Epoch of the signing key the server holds; earlier keys "
                                  "are erased")) {
  metrics.AddCallbackGauge("kiroku_tree_size", "Records in the Merkle tree", {},
                           [&tree] { return static_cast<double>(tree.size()); });
  metrics.AddCallbackGauge("kiroku_clock_synced",
                           "1 if the kernel reports the clock NTP-synchronised (adjtimex), else 0",
                           {}, [&sync] { return sync.Read().synced ? 1.0 : 0.0; });
  key_epoch_.Set(static_cast<int64_t>(keys_.epoch().value));
  if (const auto& latest = heads_.latest()) {
    last_timestamp_.Set(latest->timestamp_ns / 1'000'000'000);
  }
}

HeadIssuer::~HeadIssuer() { Stop(false); }

void HeadIssuer::AddListener(Listener listener) { listeners_.push_back(std::move(listener)); }
void HeadIssuer::SetAuditSink(AuditSink sink) { audit_ = std::move(sink); }

std::optional<TreeHead> HeadIssuer::latest() const {
  std::lock_guard lock(issue_mu_);
  return heads_.latest();
}

StatusOr<bool> HeadIssuer::Tick() {
  bool due = false;
  {
    std::lock_guard lock(issue_mu_);
    const std::optional<TreeHead>& last = heads_.latest();
    std::optional<Epoch> epoch = keys_.schedule().EpochAt(clock_.NowNs());
    // The first head of this run; a new epoch (sign in it right away, whether or not the tree
    // grew); or the tree grew and the interval has passed.
    const bool first = !last_issue_mono_ns_ || !last;
    if (first || (epoch && *epoch != last->epoch) ||
        (tree_.size() > last->tree_size &&
         clock_.MonotonicNs() - *last_issue_mono_ns_ >= options_.interval_ns)) {
      due = true;
    }
  }
  if (!due) return false;
  StatusOr<TreeHead> head = IssueNow();
  if (!head.ok()) return head.status();
  return true;
}

StatusOr<TreeHead> HeadIssuer::IssueNow() {
  std::unique_lock lock(issue_mu_);
  auto failed = [&](const Status& s) -> Status {
    head_errors_.Add();
    // A head that cannot be issued (disk full, clock past the key horizon) is logged once
    // per failure streak, not every 100 ms.
    if (!error_logged_) {
      spdlog::error("signed tree head: {}; retrying", s.ToString());
      error_logged_ = true;
    }
    return s;
  };
  StatusOr<TreeSnapshot> snap = tree_.SyncedSnapshot();
  if (!snap.ok()) return failed(snap.status());
  const Epoch before = keys_.epoch();
  StatusOr<TreeHead> head = signer_.Sign(snap->size, snap->root, heads_.latest_hash());
  if (!head.ok()) return failed(head.status());
  if (Status s = heads_.Append(*head); !s.ok()) return failed(s);
  if (Status s = heads_.Sync(); !s.ok()) return failed(s);
  if (error_logged_) {
    spdlog::info("signed tree heads are issued again (tree size {})", head->tree_size);
    error_logged_ = false;
  }
  last_issue_mono_ns_ = clock_.MonotonicNs();
  heads_total_.Add();
  last_timestamp_.Set(head->timestamp_ns / 1'000'000'000);
  key_epoch_.Set(static_cast<int64_t>(keys_.epoch().value));
  const TreeHead issued = *head;
  lock.unlock();

  if (issued.epoch != before) {
    spdlog::info("signing key ratcheted from epoch {} to {}; the earlier keys are erased",
                 before.value, issued.epoch.value);
    if (audit_) {
      audit_(AuditEvent{kAuditEpochChange,
                        kSeverityNotice,
                        {{"from_epoch", std::to_string(before.value)},
                         {"to_epoch", std::to_string(issued.epoch.value)},
                         {"epoch_key", issued.epoch_key.Hex()},
                         {"tree_size", std::to_string(issued.tree_size)}},
                        "signing key ratcheted to a new epoch; earlier keys erased"});
    }
  }
  for (const Listener& l : listeners_) l(issued);
  return issued;
}

void HeadIssuer::Start() {
  thread_ = std::thread([this] { Run(); });
}

void HeadIssuer::Run() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    lock.unlock();
    (void)Tick();  // errors are logged and counted by IssueNow
    lock.lock();
    cv_.wait_for(lock, std::chrono::nanoseconds(options_.poll_ns), [&] { return stopping_; });
  }
}

void HeadIssuer::Stop(bool final_head) {
  {
    std::lock_guard lock(mu_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (final_head) {
    StatusOr<TreeHead> h = IssueNow();
    if (h.ok()) {
      spdlog::info("final signed tree head: size {} root {}", h->tree_size, h->root_hash.Hex());
    }
  }
}

}  // namespace kiroku::evidence

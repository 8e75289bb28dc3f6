#include "cli/store_pipeline.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "evidence/head_issuer.h"
#include "evidence/journal_leaves.h"
#include "evidence/key_setup.h"
#include "evidence/tree_builder.h"
#include "evidence/witness_sender.h"
#include "integrity/signing/clock_sync.h"
#include "integrity/signing/head_store.h"
#include "integrity/signing/key_state.h"

namespace kiroku::cli {

namespace {

constexpr int64_t kFinalTreeWaitNs = 10'000'000'000;
constexpr int64_t kWitnessDrainNs = 3'000'000'000;

}  // namespace

StorePipeline::StorePipeline(Fs& fs, const Clock& clock, Metrics& metrics,
                             StorePipelineOptions options)
    : fs_(fs),
      clock_(clock),
      metrics_(metrics),
      options_(std::move(options)),
      journal_dir_(options_.data + "/journal") {}

StorePipeline::~StorePipeline() { Abort(); }

evidence::AuditSink StorePipeline::audit_sink() {
  evidence::AuditLog* audit = audit_.get();
  return [audit](evidence::AuditEvent e) { audit->Write(std::move(e)); };
}

StatusOr<std::unique_ptr<StorePipeline>> StorePipeline::Open(Fs& fs, const Clock& clock,
                                                             Metrics& metrics,
                                                             const StorePipelineOptions& options,
                                                             std::unique_ptr<DataDirLock> lock,
                                                             int* exit_code) {
  *exit_code = 1;
  std::unique_ptr<StorePipeline> p(new StorePipeline(fs, clock, metrics, options));
  p->lock_ = std::move(lock);
  const std::string& data = options.data;
  auto fail = [&](int code, Status s) -> StatusOr<std::unique_ptr<StorePipeline>> {
    *exit_code = code;
    p->Abort();
    return s;
  };

  // sealer: RecoverSealing(fs, {data}) goes here, before the journal is opened.

  // Tamper evidence: keys first, so a key problem stops the server before it touches the log.
  p->clock_sync_ = std::make_unique<integrity::signing::AdjtimexClockSync>();
  integrity::TileRecovery tile_recovery;
  if (options.integrity) {
    bool created = false;
    auto k = evidence::OpenOrInitKeys(fs, data, clock, &created);
    if (!k.ok()) {
      spdlog::error("signing keys: {}", k.status().message());
      return fail(k.status().code() == Status::Code::kPermissionDenied ? 2 : 1, k.status());
    }
    p->keys_ = std::move(*k);
    if (created) {
      spdlog::warn("created signing keys in {}; trust anchor fingerprint {}",
                   evidence::KeysDir(data), evidence::AnchorFingerprintText(*p->keys_));
      spdlog::warn(
          "copy {} somewhere the server cannot write, and keep the fingerprint: "
          "`kiroku verify --anchor` checks the log against it",
          evidence::AnchorPath(data));
    } else {
      spdlog::info("signing keys {} open (epoch {}); trust anchor fingerprint {}",
                   evidence::KeysDir(data), p->keys_->epoch().value,
                   evidence::AnchorFingerprintText(*p->keys_));
    }
    auto t = evidence::TreeBuilder::Open(fs, data + "/merkle", p->journal_dir_, &tile_recovery);
    if (!t.ok()) {
      spdlog::error("cannot open the Merkle tiles in {}/merkle: {}", data, t.status().ToString());
      return fail(1, t.status());
    }
    p->tree_ = std::move(*t);
    spdlog::info(
        "merkle tiles {}/merkle open: cover {} leaves; recovery cut {} torn bytes, "
        "dropped {} unbacked and recomputed {} lagging entries",
        data, p->tree_->tiles().Coverage(), tile_recovery.torn_bytes_dropped,
        tile_recovery.unbacked_dropped, tile_recovery.recomputed);
  } else {
    spdlog::warn(
        "--integrity false: no Merkle tree and no signed tree heads for this run "
        "(for measuring only); the records are hashed at the next start with it on");
  }

  store::CommitterOptions copts;
  copts.journal_dir = p->journal_dir_;
  copts.commit_interval_ns = options.commit_interval_ns;
  copts.batch_max_bytes = options.batch_max_bytes;
  copts.queue_max_bytes = options.queue_max_bytes;
  copts.segment_max_bytes = options.segment_max_bytes;
  copts.segment_max_age_ns = options.segment_max_age_ns;
  copts.on_rotated = options.on_rotated;
  copts.sync = options.sync;
  if (p->tree_) copts.on_committed = p->tree_->Observer();
  auto committer = store::Committer::Open(fs, clock, metrics, copts);
  if (!committer.ok()) {
    spdlog::error("cannot open the journal in {}: {}", copts.journal_dir,
                  committer.status().ToString());
    return fail(1, committer.status());
  }
  p->committer_ = std::move(*committer);
  spdlog::info("journal {} open; next record gets seq {}", copts.journal_dir,
               p->committer_->last_durable().value + 1);

  const uint64_t journal_records = p->committer_->last_durable().value;
  evidence::TreeStartReport tree_report;
  std::vector<std::string> head_notes;
  if (p->tree_) {
    if (options.record_hook) p->tree_->SetRecordHook(options.record_hook);
    if (Status s = p->tree_->Start(journal_records, &tree_report); !s.ok()) {
      spdlog::error("merkle tree: {}", s.message());
      return fail(1, s);
    }
    spdlog::info(
        "merkle tree restored: {} leaves, {} from stored tiles, {} leaves recomputed "
        "from the journal",
        journal_records, tree_report.restore_base, tree_report.leaves_recomputed);
    auto h = integrity::signing::HeadStore::Open(fs, evidence::HeadsDir(data), &head_notes);
    if (!h.ok()) {
      spdlog::error("cannot open the signed tree heads in {}: {}", evidence::HeadsDir(data),
                    h.status().ToString());
      return fail(1, h.status());
    }
    p->heads_ = std::move(*h);
    for (const std::string& n : head_notes) spdlog::warn("heads: {}", n);
    if (const auto& latest = p->heads_->latest()) {
      Status s = evidence::CheckTreeExtendsHead(*latest, p->tree_->size(), p->tree_->tiles(),
                                                evidence::JournalLeafSource(fs, p->journal_dir_));
      if (!s.ok()) {
        spdlog::error("{}", s.message());
        return fail(1, s);
      }
    }
  }

  // Self-audit: the server's own actions become records of the log.
  p->audit_ =
      std::make_unique<evidence::AuditLog>(fs, clock, *p->committer_, data + "/audit-inbox");
  {
    const std::string& digest = options.config_digest;
    const std::string digest_path = JoinPath(data, "config-digest");
    StatusOr<std::string> previous =
        digest.empty() ? StatusOr<std::string>(Status::NotFound("")) : fs.ReadFile(digest_path);
    std::vector<std::pair<std::string, std::string>> params = {{"version", kVersion}};
    if (!digest.empty()) params.emplace_back("config_digest", digest);
    params.insert(params.end(),
                  {{"anchor", p->keys_ ? evidence::AnchorFingerprintText(*p->keys_) : "none"},
                   {"integrity", options.integrity ? "on" : "off"},
                   {"journal_records", std::to_string(journal_records)},
                   {"tiles_coverage", std::to_string(tree_report.tile_coverage)},
                   {"leaves_recomputed", std::to_string(tree_report.leaves_recomputed)},
                   {"tiles_torn_bytes_dropped", std::to_string(tile_recovery.torn_bytes_dropped)},
                   {"tiles_entries_recomputed", std::to_string(tile_recovery.recomputed)},
                   {"heads_recovery_cuts", std::to_string(head_notes.size())},
                   {"last_head_size", p->heads_ && p->heads_->latest()
                                          ? std::to_string(p->heads_->latest()->tree_size)
                                          : "none"}});
    params.insert(params.end(), options.start_params.begin(), options.start_params.end());
    evidence::AuditEvent start{evidence::kAuditStart, evidence::kSeverityNotice, std::move(params),
                               "kiroku started"};
    if (Status s = p->audit_->WriteNow(std::move(start)); !s.ok()) {
      spdlog::error("self-audit: cannot write the start record: {}", s.ToString());
      return fail(1, s);
    }
    if (!digest.empty()) {
      if (previous.ok() && *previous != digest) {
        p->audit_->Write({evidence::kAuditConfigChange,
                          evidence::kSeverityNotice,
                          {{"previous_digest", *previous}, {"config_digest", digest}},
                          "configuration changed since the previous start"});
        spdlog::info("configuration changed since the previous start (digest {} -> {})", *previous,
                     digest);
      }
      if (!previous.ok() || *previous != digest) {
        if (Status s = fs.WriteFileAtomic(digest_path, digest); !s.ok()) {
          spdlog::warn("cannot write {}: {}", digest_path, s.ToString());
        }
      }
    }
  }
  if (Status s = p->audit_->Start(); !s.ok()) {
    spdlog::error("self-audit inbox {}/audit-inbox: {}", data, s.ToString());
    return fail(1, s);
  }

  // Signed tree heads, and the witnesses they go to.
  if (p->tree_) {
    p->issuer_ = std::make_unique<evidence::HeadIssuer>(*p->tree_, *p->keys_, *p->heads_, clock,
                                                        *p->clock_sync_, metrics,
                                                        evidence::HeadIssuerOptions{});
    p->issuer_->SetAuditSink(p->audit_sink());
    evidence::WitnessContext wctx{&fs,
                                  &metrics,
                                  p->audit_sink(),
                                  &p->tree_->tiles(),
                                  p->journal_dir_,
                                  evidence::AnchorFingerprintText(*p->keys_)};
    for (const std::string& target : options.witness) {
      auto w = evidence::MakeWitnessSender(target, wctx);
      if (!w.ok()) {
        spdlog::error("--witness {}: {}", target, w.status().message());
        return fail(2, w.status());
      }
      evidence::WitnessSender* sender = w->get();
      p->issuer_->AddListener(
          [sender](const integrity::signing::TreeHead& h) { sender->Offer(h); });
      p->witnesses_.push_back(std::move(*w));
      spdlog::info("witness {}: every signed tree head goes there", target);
    }
    p->issuer_->Start();
  } else if (!options.witness.empty()) {
    spdlog::warn("--witness is ignored with --integrity false");
  }

  // sealer: start here (Sealer::Start), and push its Stop onto before_shutdown_.

  *exit_code = 0;
  return p;
}

void StorePipeline::Shutdown() {
  if (stopped_) return;
  stopped_ = true;
  for (auto it = before_shutdown_.rbegin(); it != before_shutdown_.rend(); ++it) (*it)();
  // The stop record goes in before the final head, so the head covers it.
  if (Status s =
          audit_->WriteNow({evidence::kAuditStop,
                            evidence::kSeverityNotice,
                            {{"journal_records", std::to_string(committer_->last_durable().value)}},
                            "kiroku stopping"});
      !s.ok()) {
    spdlog::error("self-audit: cannot write the stop record: {}", s.ToString());
  }
  audit_->Stop();
  if (tree_) {
    const uint64_t last = committer_->last_durable().value;
    if (!tree_->WaitForSize(last, kFinalTreeWaitNs)) {
      spdlog::error("merkle tree reached only {} of {} records before the final head",
                    tree_->size(), last);
    }
    issuer_->Stop(/*final_head=*/true);
    for (auto& w : witnesses_) w->Stop(kWitnessDrainNs);
  }
  committer_->Stop();
  if (tree_) tree_->Stop();
}

void StorePipeline::Abort() {
  if (stopped_) return;
  stopped_ = true;
  for (auto it = before_shutdown_.rbegin(); it != before_shutdown_.rend(); ++it) (*it)();
  if (issuer_) issuer_->Stop(false);
  for (auto& w : witnesses_) w->Stop(0);
  if (audit_) audit_->Stop();
  if (committer_) committer_->Stop();
  if (tree_) tree_->Stop();
}

}  // namespace kiroku::cli

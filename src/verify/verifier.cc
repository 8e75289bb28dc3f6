// The verifier's passes, in order:
//   1. anchors (anchor_chain.h), 2. local heads: signature, key, chain, order,
//   3. witness heads, 4. one streaming pass over the journal (records, holes, leaf hashes,
//   frontier, 256-record subtrees, roots at every head's size, first-signing epochs),
//   5. findings that need the whole picture: truncation, roots against heads narrowed with
//   the tiles, tiles alone, re-signing, epoch gaps, witness.
#include "verify/verifier.h"

#include <algorithm>
#include <map>
#include <set>

#include "integrity/frontier.h"
#include "integrity/hash.h"
#include "integrity/leaf.h"
#include "integrity/signing/head_reader.h"
#include "integrity/signing/head_verify.h"
#include "integrity/signing/internal/head_file.h"
#include "integrity/tile_store.h"
#include "verify/anchor_chain.h"
#include "verify/journal_stream.h"
#include "verify/witness_heads.h"

namespace kiroku::verify {
namespace {

namespace sig = integrity::signing;
using integrity::Frontier;
using integrity::Hash;

constexpr uint64_t kGroup = integrity::TileStore::kGroup;  // 256
// A sequence number this far beyond the expected one is an inserted record, not a gap to
// fill with holes (which would cost a hash per missing seq).
constexpr uint64_t kMaxGapFill = uint64_t{1} << 24;

struct LocalHead {
  sig::TreeHead head;
  bool verified = false;
};

struct Captured {
  Hash root;
  std::vector<Hash> nodes;
};

// A stretch of records whose first signing head came too late.
struct LateRun {
  uint64_t first = 0, last = 0;
  size_t head = 0;               // index into trusted_
  bool crash_candidate = false;  // close enough to the previous head to be a crash's tail
  uint64_t record_epoch_min = 0, record_epoch_max = 0;
};

std::string Plural(uint64_t n, const char* what) {
  return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
}

class Verifier final : public JournalVisitor {
 public:
  Verifier(Fs& fs, const VerifyOptions& opt, Report& report)
      : fs_(fs), opt_(opt), report_(report) {}

  void Run();

  void OnRecord(const RecordView& r, bool crc_ok, const std::string& file,
                uint64_t offset) override;
  void OnDamage(const std::string& file, uint64_t offset, uint64_t length,
                const std::string& what) override;
  void OnInProgress(const std::string& file, uint64_t offset, uint64_t length) override {
    Add(Finding(FindingKind::kInProgress, "incomplete frame of " + std::to_string(length) +
                                              " bytes at offset " + std::to_string(offset) +
                                              " (a write in progress, or torn by a crash)")
            .In(file));
  }
  void OnCutFile(const std::string& file, uint64_t size) override {
    Add(Finding(FindingKind::kCutFile,
                std::to_string(size) + " bytes that crash recovery cut from a segment")
            .In(file));
  }
  void OnListed(uint64_t total_bytes) override { total_bytes_ = total_bytes; }
  void OnSealedUnreadable(const std::string& file, uint64_t first, uint64_t last,
                          const std::string& what) override;
  void OnSealedMismatch(const std::string& file, uint64_t first, uint64_t last,
                        const std::string& what) override {
    AddJournal(FindingKind::kModified, first, last, file, "sealed segment: " + what);
  }
  void OnProgress(uint64_t bytes) override {
    progress_bytes_ += bytes;
    if (opt_.progress) opt_.progress(progress_bytes_, total_bytes_);
  }

 private:
  void Add(Finding f) { report_.Add(std::move(f)); }
  void AddJournal(FindingKind kind, uint64_t first, uint64_t last, const std::string& file,
                  std::string detail) {
    for (uint64_t g = (first - 1) / kGroup;
         g <= (last - 1) / kGroup && g < (first - 1) / kGroup + 4096; ++g) {
      journal_groups_.insert(g);
    }
    Add(Finding(kind, std::move(detail)).At(first, last).In(file));
  }

  bool LoadAnchors();
  void CheckHeads();
  void CheckWitnessHeads();
  void PrepareCheckpoints();
  void AppendLeaf(const Hash& leaf);
  void Accept(const RecordView& r);
  void CheckFirstSigning(uint64_t seq, int64_t time_ns);
  void FinishJournal();
  void CheckRoots();
  void CheckTiles();
  void CheckLateRuns();
  void CheckEpochGaps();
  void CheckWitnessAgainstLocal();
  bool StartBetween(uint64_t after, uint64_t upto) const;  // a start record in (after, upto]
  std::optional<uint64_t> EpochOf(int64_t t) const {
    auto e = anchors_.root().schedule.EpochAt(t);
    return e ? std::optional<uint64_t>(e->value) : std::nullopt;
  }

  Fs& fs_;
  const VerifyOptions& opt_;
  Report& report_;
  AnchorChain anchors_;

  std::vector<LocalHead> heads_;               // chain order
  std::vector<const sig::TreeHead*> trusted_;  // verified, sorted by tree_size
  std::vector<int64_t> min_time_;              // parallel to trusted_
  std::vector<sig::TreeHead> witness_;         // verified witness heads
  uint64_t signed_size_ = 0;

  std::vector<uint64_t> checkpoints_;
  size_t next_cp_ = 0;
  std::map<uint64_t, Captured> captured_;

  Frontier frontier_;
  Frontier::SubtreeCallback on_subtree_;
  std::vector<Hash> groups_;
  std::string scratch_;
  uint64_t expected_ = 1;
  struct Gap {
    uint64_t first, last;
    std::string file;
  };
  std::vector<Gap> gaps_;
  bool damage_pending_ = false;
  std::string damage_file_, damage_what_;
  uint64_t damage_offset_ = 0;
  std::set<uint64_t> journal_groups_;
  std::vector<uint64_t> start_seqs_;
  int64_t first_record_time_ = 0;
  size_t cover_ = 0;
  std::vector<LateRun> late_;
  uint64_t progress_bytes_ = 0, total_bytes_ = 0;
  std::string last_file_;
};

bool Verifier::LoadAnchors() {
  std::string path = opt_.anchor_path;
  const std::string keys_dir = JoinPath(opt_.data_dir, "keys");
  if (path.empty()) {
    path = DataDirAnchorPath(fs_, keys_dir);
    Add(Finding(FindingKind::kAnchorFromDataDir,
                "checked against the anchor in the data directory itself; whoever can change "
                "the data can change it too: pass --anchor with the copy kept elsewhere")
            .In(path));
  }
  auto chain = LoadAnchorChain(fs_, path, keys_dir);
  if (!chain.ok()) {
    report_.SetError("cannot read the trust anchor " + path + ": " + chain.status().message());
    return false;
  }
  anchors_ = std::move(*chain);
  for (const std::string& n : anchors_.notes) {
    Add(Finding(FindingKind::kWrongKey, "anchor rollover not accepted").In(n));
  }
  report_.stats().anchor_fingerprint = sig::FormatFingerprint(sig::Fingerprint(anchors_.root()));
  return true;
}

void Verifier::CheckHeads() {
  const std::string dir = JoinPath(opt_.data_dir, "heads");
  sig::HeadScanStats hstats;
  Status s = sig::ForEachHead(
      fs_, dir,
      [&](const sig::TreeHead& h) {
        heads_.push_back({h, false});
        return Status::Ok();
      },
      &hstats);
  if (!s.ok()) {
    Add(Finding(FindingKind::kForgedHead, "heads unreadable: " + s.message()).In(dir));
  }
  auto files = sig::ListHeadFiles(fs_, dir);
  std::string newest =
      files.ok() && !files->empty() ? sig::internal::HeadFileName(files->back()) : std::string();
  for (const std::string& p : hstats.problems) {
    // A short damaged tail of the newest file is a head being written right now.
    bool in_progress = false;
    if (!newest.empty() && p.find(newest) != std::string::npos) {
      size_t k = p.rfind("skipped ");
      if (k != std::string::npos && std::stoull(p.substr(k + 8)) < 200) in_progress = true;
    }
    Add(Finding(in_progress ? FindingKind::kInProgress : FindingKind::kForgedHead,
                in_progress ? "incomplete head at the end (being written): " + p
                            : "head file damaged: " + p)
            .In(dir));
  }
  report_.stats().heads = heads_.size();

  // Failures of one kind on consecutive heads make one finding.
  struct Run {
    FindingKind kind;
    size_t first, last;
    std::string detail;
  };
  std::optional<Run> run;
  auto flush = [&] {
    if (!run) return;
    const sig::TreeHead& a = heads_[run->first].head;
    const sig::TreeHead& b = heads_[run->last].head;
    Finding f = Finding(run->kind, Plural(run->last - run->first + 1, "head") + " (tree sizes " +
                                       std::to_string(a.tree_size) + ".." +
                                       std::to_string(b.tree_size) + "): " + run->detail)
                    .In(dir)
                    .Epochs(a.epoch.value, b.epoch.value != a.epoch.value
                                               ? std::optional<uint64_t>(b.epoch.value)
                                               : std::nullopt);
    if (b.tree_size > 0) f.seqs = SeqRange{std::max<uint64_t>(a.tree_size, 1), b.tree_size};
    Add(std::move(f));
    run.reset();
  };
  for (size_t i = 0; i < heads_.size(); ++i) {
    const sig::TreeHead& h = heads_[i].head;
    const sig::TrustAnchor* anchor = anchors_.For(h.epoch);
    sig::HeadVerdict v = sig::VerifyHead(h, anchor ? *anchor : anchors_.root());
    if (!v.ok()) {
      FindingKind kind =
          v.error == sig::HeadError::kBadSignature || v.error == sig::HeadError::kUnsupportedVersion
              ? FindingKind::kForgedHead
              : FindingKind::kWrongKey;
      if (run && run->kind == kind && run->last + 1 == i) {
        run->last = i;
      } else {
        flush();
        run = Run{kind, i, i, std::string(sig::HeadErrorName(v.error)) + ": " + v.detail};
      }
    } else {
      flush();
      heads_[i].verified = true;
      ++report_.stats().heads_verified;
    }
    if (i == 0) {
      if (h.previous_head_hash != Hash{}) {
        Add(Finding(FindingKind::kHeadsDeleted, "the oldest head (tree size " +
                                                    std::to_string(h.tree_size) +
                                                    ") chains onto a head that is not there")
                .In(dir)
                .Epochs(h.epoch.value));
      }
      continue;
    }
    const sig::TreeHead& prev = heads_[i - 1].head;
    sig::HeadVerdict link = sig::VerifyHeadSuccessor(prev, h);
    if (!link.ok()) {
      FindingKind kind = link.error == sig::HeadError::kBrokenChain ? FindingKind::kHeadsDeleted
                                                                    : FindingKind::kHeadsOutOfOrder;
      Finding f =
          Finding(kind, "between heads of tree sizes " + std::to_string(prev.tree_size) + " and " +
                            std::to_string(h.tree_size) + ": " +
                            std::string(sig::HeadErrorName(link.error)) + ": " + link.detail)
              .In(dir)
              .Epochs(h.epoch.value);
      if (kind == FindingKind::kHeadsDeleted && h.tree_size > prev.tree_size) {
        f.seqs = SeqRange{prev.tree_size + 1, h.tree_size};
      }
      Add(std::move(f));
    } else if (h.epoch < prev.epoch) {
      Add(Finding(FindingKind::kHeadsOutOfOrder,
                  "epoch went back from " + std::to_string(prev.epoch.value))
              .In(dir)
              .Epochs(h.epoch.value));
    }
  }
  flush();

  for (const LocalHead& lh : heads_) {
    if (lh.verified) trusted_.push_back(&lh.head);
  }
  std::stable_sort(
      trusted_.begin(), trusted_.end(),
      [](const sig::TreeHead* a, const sig::TreeHead* b) { return a->tree_size < b->tree_size; });
  for (const sig::TreeHead* h : trusted_) {
    signed_size_ = std::max(signed_size_, h->tree_size);
    // A record first signed by h must have arrived in h's epoch or the one before, or at most
    // the slack before h.
    int64_t epoch_floor = h->epoch.value == 0
                              ? INT64_MIN
                              : anchors_.root().schedule.StartNs(sig::Epoch{h->epoch.value - 1});
    min_time_.push_back(std::min(epoch_floor, h->timestamp_ns - opt_.slack_ns));
  }
  report_.stats().signed_size = signed_size_;
  if (trusted_.empty()) {
    Add(Finding(FindingKind::kNoHeads,
                "no signed tree head verifies: nothing in the journal is sealed yet")
            .In(dir));
  }
}

void Verifier::CheckWitnessHeads() {
  if (!opt_.witness_jsonl) return;
  WitnessHeads w = ParseWitnessHeads(*opt_.witness_jsonl);
  for (const std::string& p : w.problems) {
    Add(Finding(FindingKind::kForgedHead, "witness " + p).In(opt_.witness_name));
  }
  for (const sig::TreeHead& h : w.heads) {
    const sig::TrustAnchor* anchor = anchors_.For(h.epoch);
    sig::HeadVerdict v = sig::VerifyHead(h, anchor ? *anchor : anchors_.root());
    if (!v.ok()) {
      Add(Finding(v.error == sig::HeadError::kBadSignature ? FindingKind::kForgedHead
                                                           : FindingKind::kWrongKey,
                  "witness head of tree size " + std::to_string(h.tree_size) + ": " +
                      std::string(sig::HeadErrorName(v.error)) + ": " + v.detail)
              .In(opt_.witness_name)
              .Epochs(h.epoch.value));
      continue;
    }
    witness_.push_back(h);
  }
  report_.stats().witness_heads = witness_.size();
}

void Verifier::PrepareCheckpoints() {
  for (const sig::TreeHead* h : trusted_) checkpoints_.push_back(h->tree_size);
  for (const sig::TreeHead& h : witness_) checkpoints_.push_back(h.tree_size);
  std::sort(checkpoints_.begin(), checkpoints_.end());
  checkpoints_.erase(std::unique(checkpoints_.begin(), checkpoints_.end()), checkpoints_.end());
  while (next_cp_ < checkpoints_.size() && checkpoints_[next_cp_] == 0) {
    captured_[0] = {integrity::HashEmpty(), {}};
    ++next_cp_;
  }
  on_subtree_ = [this](int height, uint64_t, const Hash& h) {
    if (height == integrity::kStoredHeightStep) groups_.push_back(h);
  };
}

void Verifier::AppendLeaf(const Hash& leaf) {
  frontier_.Append(leaf, on_subtree_);
  while (next_cp_ < checkpoints_.size() && checkpoints_[next_cp_] == frontier_.size()) {
    captured_[frontier_.size()] = {
        frontier_.Root(), std::vector<Hash>(frontier_.nodes().begin(), frontier_.nodes().end())};
    ++next_cp_;
  }
}

void Verifier::OnDamage(const std::string& file, uint64_t offset, uint64_t length,
                        const std::string& what) {
  if (!damage_pending_) {
    damage_file_ = file;
    damage_offset_ = offset;
    damage_what_ =
        what + " (" + std::to_string(length) + " bytes at offset " + std::to_string(offset) + ")";
  }
  damage_pending_ = true;
}

// The records of an unreadable stretch of a sealed segment are modified (their bytes no longer
// check), not missing; they hold holes in the tree as a gap does, so the later records and the
// roots are still checked.
void Verifier::OnSealedUnreadable(const std::string& file, uint64_t first, uint64_t last,
                                  const std::string& what) {
  last_file_ = file;
  if (last < expected_ || first - expected_ > kMaxGapFill || last - first > kMaxGapFill) {
    AddJournal(FindingKind::kModified, first, last, file, "sealed segment: " + what);
    return;
  }
  if (first > expected_) gaps_.push_back({expected_, first - 1, file});
  AddJournal(FindingKind::kModified, first, last, file, "sealed segment: " + what);
  for (uint64_t q = expected_; q <= last; ++q) AppendLeaf(Hash{});
  expected_ = last + 1;
}

void Verifier::OnRecord(const RecordView& r, bool crc_ok, const std::string& file,
                        uint64_t offset) {
  const uint64_t s = r.seq.value;
  last_file_ = file;
  if (!crc_ok) {
    AddJournal(FindingKind::kModified, s, s, file,
               "frame CRC mismatch at offset " + std::to_string(offset) +
                   ": the record's bytes changed after it was written");
  }
  if (s == expected_) {
    if (damage_pending_) {
      Add(Finding(FindingKind::kInserted, "bytes that are no record between seq " +
                                              std::to_string(s - 1) + " and " + std::to_string(s) +
                                              ": " + damage_what_)
              .In(damage_file_));
      damage_pending_ = false;
    }
    Accept(r);
    return;
  }
  if (s > expected_ && s - expected_ <= kMaxGapFill) {
    if (damage_pending_) {
      AddJournal(FindingKind::kModified, expected_, s - 1, damage_file_,
                 "frame(s) that no longer decode: " + damage_what_);
      damage_pending_ = false;
    } else {
      gaps_.push_back({expected_, s - 1, file});
    }
    for (uint64_t q = expected_; q < s; ++q) AppendLeaf(Hash{});  // a hole per absent record
    expected_ = s;
    Accept(r);
    return;
  }
  // Behind (or absurdly far ahead of) the expected seq: a record that was moved, or one that
  // was never written by the server.
  for (size_t i = 0; i < gaps_.size(); ++i) {
    Gap& g = gaps_[i];
    if (s < g.first || s > g.last) continue;
    AddJournal(FindingKind::kReordered, s, s, file,
               "seq " + std::to_string(s) + " found at offset " + std::to_string(offset) +
                   ", after seq " + std::to_string(expected_ - 1));
    if (g.first == g.last) {
      gaps_.erase(gaps_.begin() + static_cast<ptrdiff_t>(i));
    } else if (s == g.first) {
      ++g.first;
    } else if (s == g.last) {
      --g.last;
    } else {
      Gap tail{s + 1, g.last, g.file};
      g.last = s - 1;
      gaps_.insert(gaps_.begin() + static_cast<ptrdiff_t>(i) + 1, tail);
    }
    return;
  }
  AddJournal(FindingKind::kInserted, s, s, file,
             "seq " + std::to_string(s) + " at offset " + std::to_string(offset) + " where seq " +
                 std::to_string(expected_) + " was due");
}

void Verifier::Accept(const RecordView& r) {
  const uint64_t s = r.seq.value;
  if (s == 1 || report_.stats().records == 0) first_record_time_ = r.receive_time_ns;
  AppendLeaf(integrity::LeafHashOf(r, &scratch_));
  expected_ = s + 1;
  ++report_.stats().records;
  report_.stats().raw_bytes += r.raw.size();
  // The server's own start record (evidence/audit_log.h: MSGID "start") marks a restart.
  if (r.transport == Transport::kInternal && (r.raw.find(" start [") != std::string_view::npos ||
                                              r.raw.find(" start - ") != std::string_view::npos)) {
    start_seqs_.push_back(s);
  }
  CheckFirstSigning(s, r.receive_time_ns);
}

void Verifier::CheckFirstSigning(uint64_t seq, int64_t t) {
  while (cover_ < trusted_.size() && trusted_[cover_]->tree_size < seq) ++cover_;
  if (cover_ == trusted_.size() || t >= min_time_[cover_]) return;
  const int64_t since = cover_ > 0 ? trusted_[cover_ - 1]->timestamp_ns : first_record_time_;
  const bool crash_candidate = t - since <= opt_.slack_ns;
  const uint64_t e = EpochOf(t).value_or(0);
  if (!late_.empty()) {
    LateRun& last = late_.back();
    if (last.last + 1 == seq && last.head == cover_ && last.crash_candidate == crash_candidate) {
      last.last = seq;
      last.record_epoch_min = std::min(last.record_epoch_min, e);
      last.record_epoch_max = std::max(last.record_epoch_max, e);
      return;
    }
  }
  late_.push_back({seq, seq, cover_, crash_candidate, e, e});
}

void Verifier::FinishJournal() {
  for (const Gap& g : gaps_) {
    AddJournal(FindingKind::kMissing, g.first, g.last, g.file,
               Plural(g.last - g.first + 1, "record") +
                   " absent from the log (neither in the journal nor in a sealed segment)");
  }
  if (damage_pending_) {
    Add(Finding(FindingKind::kModified,
                "damaged bytes after seq " + std::to_string(expected_ - 1) + ": " + damage_what_)
            .In(damage_file_));
  }
  const uint64_t have = expected_ - 1;
  report_.stats().journal_size = have;
  if (have < signed_size_) {
    Add(Finding(FindingKind::kTruncated,
                "the newest signed head covers " + std::to_string(signed_size_) +
                    " records; the journal ends at seq " + std::to_string(have))
            .At(have + 1, signed_size_)
            .In(last_file_.empty() ? JoinPath(opt_.data_dir, "journal") : last_file_));
  } else if (have > signed_size_ && !trusted_.empty()) {
    Add(Finding(FindingKind::kUnsigned,
                Plural(have - signed_size_, "record") +
                    " after the newest head (checked for CRC and order only)")
            .At(signed_size_ + 1, have));
  } else if (have > 0 && trusted_.empty()) {
    Add(Finding(FindingKind::kUnsigned, "no verified head covers any record").At(1, have));
  }
}

// Reads level-`height` entries; empty if the file is absent. A torn partial entry is ignored.
std::vector<Hash> ReadLevel(Fs& fs, const std::string& dir, int height) {
  std::vector<Hash> out;
  auto bytes = fs.ReadFile(JoinPath(dir, integrity::TileStore::FileName(height)));
  if (!bytes.ok()) return out;
  out.reserve(bytes->size() / Hash::kSize);
  for (size_t off = 0; off + Hash::kSize <= bytes->size(); off += Hash::kSize) {
    out.push_back(Hash::FromBytes(std::string_view(*bytes).substr(off, Hash::kSize)));
  }
  return out;
}

void Verifier::CheckRoots() {
  const std::string merkle = JoinPath(opt_.data_dir, "merkle");
  std::vector<Hash> tiles = ReadLevel(fs_, merkle, integrity::kStoredHeightStep);
  Frontier tile_frontier;
  uint64_t prev_good = 0;
  bool in_bad_run = false;
  std::set<uint64_t> reported_groups;
  std::set<uint64_t> explained;   // groups whose tile mismatch a head mismatch explains
  std::vector<Finding> whole;     // a head's whole range, when the tiles cannot narrow it
  std::vector<Finding> narrowed;  // 256-record groups, when the tiles agree with a head
  const uint64_t have = expected_ - 1;
  for (const sig::TreeHead* h : trusted_) {
    const uint64_t n = h->tree_size;
    auto it = captured_.find(n);
    if (it == captured_.end() || n > have) continue;  // truncation, reported already
    if (it->second.root == h->root_hash) {
      prev_good = std::max(prev_good, n);
      in_bad_run = false;
      continue;
    }
    // The root at this head's size is not what was signed: records in (prev_good, n] changed.
    const uint64_t m = n / kGroup;
    std::optional<Hash> tile_root;
    if (tiles.size() >= m) {
      while (tile_frontier.size() < m) tile_frontier.Append(tiles[tile_frontier.size()]);
      std::vector<Hash> nodes(tile_frontier.nodes().begin(), tile_frontier.nodes().end());
      const std::vector<Hash>& all = it->second.nodes;
      size_t low = static_cast<size_t>(__builtin_popcountll(n & (kGroup - 1)));
      nodes.insert(nodes.end(), all.end() - static_cast<ptrdiff_t>(low), all.end());
      auto f = Frontier::FromNodes(n, std::move(nodes));
      if (f) tile_root = f->Root();
    }
    if (tile_root && *tile_root == h->root_hash) {
      // The tiles are the signed tree: the groups whose recomputed hash differs changed.
      for (uint64_t g = prev_good / kGroup; g < m; ++g) {
        if (g < groups_.size() && groups_[g] == tiles[g]) continue;
        explained.insert(g);
        if (!reported_groups.insert(g).second || journal_groups_.count(g)) continue;
        uint64_t first = std::max(g * kGroup + 1, prev_good + 1);
        uint64_t last = std::min((g + 1) * kGroup, n);
        narrowed.push_back(
            Finding(FindingKind::kModified,
                    "records in this 256-record group do not hash to the signed tree (head "
                    "of tree size " +
                        std::to_string(n) + ", epoch " + std::to_string(h->epoch.value) + ")")
                .At(first, last)
                .In(JoinPath(opt_.data_dir, "journal"))
                .Epochs(h->epoch.value));
      }
    } else if (!in_bad_run) {
      bool explained_by_journal = false;
      for (uint64_t g = prev_good / kGroup; g <= (n - 1) / kGroup; ++g) {
        if (journal_groups_.count(g)) explained_by_journal = true;
      }
      if (!explained_by_journal) {
        whole.push_back(
            Finding(FindingKind::kModified,
                    "the records do not hash to the root signed at tree size " + std::to_string(n) +
                        " (epoch " + std::to_string(h->epoch.value) +
                        "); the stored tiles do not match that head either, so the change "
                        "cannot be narrowed below this range")
                .At(prev_good + 1, n)
                .In(JoinPath(opt_.data_dir, "journal"))
                .Epochs(h->epoch.value));
      }
    }
    in_bad_run = true;
  }

  // A whole range (p, n] and a group overlapping it both hold the change: report where they
  // overlap, which is narrower than either.
  for (Finding& g : narrowed) {
    for (Finding& w : whole) {
      if (!w.seqs || w.seqs->first == 0) continue;
      if (w.seqs->last < g.seqs->first || g.seqs->last < w.seqs->first) continue;
      g.seqs =
          SeqRange{std::max(g.seqs->first, w.seqs->first), std::min(g.seqs->last, w.seqs->last)};
      w.seqs->first = 0;  // absorbed
    }
  }
  for (Finding& w : whole) {
    if (w.seqs && w.seqs->first != 0) Add(std::move(w));
  }
  for (Finding& g : narrowed) Add(std::move(g));

  // Tiles that disagree with the records where the records agree with the heads.
  uint64_t bad_tiles = 0, first_bad = 0;
  const uint64_t checked = std::min<uint64_t>(tiles.size(), groups_.size());
  for (uint64_t g = 0; g < checked; ++g) {
    if (groups_[g] == tiles[g] || explained.count(g) || journal_groups_.count(g)) continue;
    if (bad_tiles++ == 0) first_bad = g;
  }
  report_.stats().tile_groups_checked = checked;
  if (bad_tiles > 0) {
    Add(Finding(FindingKind::kTilesDamaged,
                Plural(bad_tiles, "stored 256-record hash") +
                    " differ from the records (the first shown), which match the signed heads")
            .At(first_bad * kGroup + 1, (first_bad + 1) * kGroup)
            .In(JoinPath(merkle, integrity::TileStore::FileName(integrity::kStoredHeightStep))));
  }
  const uint64_t needed = std::min(signed_size_, have) / kGroup;
  if (tiles.size() < needed) {
    Add(Finding(FindingKind::kTilesDamaged, "holds " + std::to_string(tiles.size()) +
                                                " entries, the signed tree needs " +
                                                std::to_string(needed))
            .In(JoinPath(merkle, integrity::TileStore::FileName(integrity::kStoredHeightStep))));
  }
  // Heights 16, 24, ...: each entry is the root of 256 entries below it.
  std::vector<std::vector<Hash>> upper;
  for (int h = 2 * integrity::kStoredHeightStep; h <= integrity::TileStore::kMaxStoredHeight;
       h += integrity::kStoredHeightStep) {
    upper.push_back(ReadLevel(fs_, merkle, h));
    if (upper.back().empty()) break;
  }
  uint64_t bad_upper = 0;
  Frontier over_tiles;
  for (const Hash& t : tiles) {
    over_tiles.Append(t, [&](int height, uint64_t index, const Hash& hash) {
      size_t level = static_cast<size_t>(height / integrity::kStoredHeightStep) - 1;
      if (level < upper.size() && index < upper[level].size() && upper[level][index] != hash) {
        ++bad_upper;
      }
    });
  }
  if (bad_upper > 0) {
    Add(Finding(FindingKind::kTilesDamaged,
                Plural(bad_upper, "stored hash") + " above height 8 disagree with height 8")
            .In(merkle));
  }
}

bool Verifier::StartBetween(uint64_t after, uint64_t upto) const {
  auto it = std::upper_bound(start_seqs_.begin(), start_seqs_.end(), after);
  return it != start_seqs_.end() && *it <= upto;
}

void Verifier::CheckLateRuns() {
  for (const LateRun& run : late_) {
    const sig::TreeHead& h = *trusted_[run.head];
    if (run.crash_candidate && StartBetween(run.last, h.tree_size)) {
      Add(Finding(FindingKind::kCrashTail,
                  "received just before a crash, signed after the server restarted")
              .At(run.first, run.last)
              .Epochs(run.record_epoch_min, h.epoch.value));
      continue;
    }
    Add(Finding(FindingKind::kResigned,
                "received in epoch " + std::to_string(run.record_epoch_min) +
                    (run.record_epoch_max != run.record_epoch_min
                         ? ".." + std::to_string(run.record_epoch_max)
                         : std::string()) +
                    " but first signed by a head of epoch " + std::to_string(h.epoch.value) +
                    " (tree size " + std::to_string(h.tree_size) +
                    "): whoever held that later key rewrote or re-signed them")
            .At(run.first, run.last)
            .In(JoinPath(opt_.data_dir, "heads"))
            .Epochs(run.record_epoch_min, h.epoch.value));
  }
}

void Verifier::CheckEpochGaps() {
  // A running server signs at least once per epoch; a gap needs a restart to explain it.
  const sig::TreeHead* prev = nullptr;
  for (const LocalHead& lh : heads_) {
    if (!lh.verified) {
      prev = nullptr;
      continue;
    }
    const sig::TreeHead& h = lh.head;
    if (prev != nullptr && h.epoch.value > prev->epoch.value + 1 &&
        !StartBetween(prev->tree_size, h.tree_size)) {
      Finding f =
          Finding(FindingKind::kHeadsDeleted,
                  "no head in epochs " + std::to_string(prev->epoch.value + 1) + ".." +
                      std::to_string(h.epoch.value - 1) +
                      " and no server start in between (a running server signs every epoch)")
              .In(JoinPath(opt_.data_dir, "heads"))
              .Epochs(prev->epoch.value + 1, h.epoch.value - 1);
      if (h.tree_size > prev->tree_size) f.seqs = SeqRange{prev->tree_size + 1, h.tree_size};
      Add(std::move(f));
    }
    prev = &h;
  }
}

void Verifier::CheckWitnessAgainstLocal() {
  if (!opt_.witness_jsonl) return;
  const uint64_t have = expected_ - 1;
  uint64_t newest = 0;
  std::set<uint64_t> forked_sizes;
  for (const sig::TreeHead& w : witness_) {
    newest = std::max(newest, w.tree_size);
    bool local_same_size = false;
    for (const sig::TreeHead* h : trusted_) {
      if (h->tree_size != w.tree_size) continue;
      local_same_size = true;
      if (h->root_hash != w.root_hash && forked_sizes.insert(w.tree_size).second) {
        Add(Finding(FindingKind::kForked, "the witness saw root " + w.root_hash.Hex() +
                                              " at tree size " + std::to_string(w.tree_size) +
                                              ", the data directory's head says " +
                                              h->root_hash.Hex())
                .At(1, std::max<uint64_t>(w.tree_size, 1))
                .In(opt_.witness_name)
                .Epochs(w.epoch.value));
      }
    }
    if (local_same_size || w.tree_size > signed_size_ || w.tree_size > have) continue;
    auto it = captured_.find(w.tree_size);
    if (it == captured_.end()) continue;
    if (it->second.root != w.root_hash) {
      if (forked_sizes.insert(w.tree_size).second) {
        Add(Finding(FindingKind::kForked,
                    "the records do not hash to the root the witness saw at tree size " +
                        std::to_string(w.tree_size))
                .At(1, w.tree_size)
                .In(opt_.witness_name)
                .Epochs(w.epoch.value));
      }
    } else {
      Add(Finding(FindingKind::kHeadsDeleted, "the witness holds a head of tree size " +
                                                  std::to_string(w.tree_size) +
                                                  " that the data directory no longer has")
              .In(JoinPath(opt_.data_dir, "heads"))
              .Epochs(w.epoch.value));
    }
  }
  if (newest > signed_size_) {
    Add(Finding(FindingKind::kRolledBack,
                "the witness saw a head of tree size " + std::to_string(newest) +
                    "; the data directory's newest head covers " + std::to_string(signed_size_) +
                    " records and its journal ends at seq " + std::to_string(have) +
                    ": it is older than what the witness saw")
            .At(signed_size_ + 1, newest)
            .In(opt_.witness_name));
  }
}

void Verifier::Run() {
  if (!LoadAnchors()) return;
  CheckHeads();
  CheckWitnessHeads();
  PrepareCheckpoints();
  JournalStreamStats js;
  const std::string journal = JoinPath(opt_.data_dir, "journal");
  {
    auto listed = fs_.ListDir(journal);
    if (!listed.ok()) {
      report_.SetError("cannot read the journal " + journal + ": " + listed.status().message());
      return;
    }
  }
  Status s = StreamLog(fs_, opt_.data_dir, *this, &js);
  if (!s.ok()) {
    report_.SetError("cannot read the log in " + opt_.data_dir + ": " + s.message());
    return;
  }
  report_.stats().segments = js.segments;
  report_.stats().sealed_segments = js.sealed_segments;
  report_.stats().journal_bytes = js.bytes;
  FinishJournal();
  CheckRoots();
  CheckLateRuns();
  CheckEpochGaps();
  CheckWitnessAgainstLocal();
}

}  // namespace

Report Verify(Fs& fs, const VerifyOptions& options) {
  Report report;
  Verifier v(fs, options, report);
  v.Run();
  return report;
}

}  // namespace kiroku::verify

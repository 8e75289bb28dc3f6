#include "engine/engine.h"

#include <algorithm>
#include <optional>

#include "engine/hit_buffer.h"
#include "index/enrichment.h"
#include "index/plan.h"
#include "index/terms.h"
#include "normalize/all/normalizer.h"
#include "query/evaluator.h"
#include "query/fields.h"
#include "segment/sealed_segment.h"
#include "segment/segment_files.h"
#include "store/journal_format.h"
#include "store/journal_reader.h"
#include "store/record_codec.h"

namespace kiroku::engine {
namespace {

// One candidate block: read in order of `min_key`.
struct Candidate {
  int64_t min_key;
  uint32_t segment;  // index into Run's open segments
  uint32_t block;
};

// The query with RunOptions' time window ANDed in (a copy only when there is a window).
query::Node WithWindow(const query::Node& q, const RunOptions& o) {
  if (o.since_ns == INT64_MIN && o.until_ns == INT64_MAX) return q;
  query::Node time;
  time.kind = query::Node::Kind::kTerm;
  time.term.fields = {query::FindField("@timestamp")};
  time.term.test = query::IntRangeTest{o.since_ns, o.until_ns};
  if (q.kind == query::Node::Kind::kMatchAll) return time;
  query::Node both;
  both.kind = query::Node::Kind::kAnd;
  both.children.push_back(std::move(time));
  both.children.push_back(q);
  return both;
}

class EngineImpl final : public Engine {
 public:
  EngineImpl(Fs& fs, std::string data_dir) : fs_(fs), data_dir_(std::move(data_dir)) {}

  Status Run(const query::Node& q, const RunOptions& options, const HitFn& fn,
             RunStats* stats) override {
    RunStats local;
    Execution x(*this, WithWindow(q, options), options, fn, stats ? stats : &local);
    return x.Run();
  }

  StatusOr<uint64_t> Count(const query::Node& q, const RunOptions& options,
                           RunStats* stats) override {
    RunOptions o = options;
    o.ordered = false;
    o.need_events = false;
    o.limit = 0;
    uint64_t n = 0;
    RunStats local;
    // Named: Execution keeps a reference to it for the whole run.
    const HitFn count = [&](const Hit&) { return ++n, true; };
    Execution x(*this, WithWindow(q, o), o, count, stats ? stats : &local);
    x.count_only = &n;
    if (Status s = x.Run(); !s.ok()) return s;
    return n;
  }

 private:
  // The state of one Run().
  class Execution {
   public:
    Execution(EngineImpl& e, query::Node q, const RunOptions& o, const HitFn& fn, RunStats* s)
        : fs_(e.fs_),
          data_dir_(e.data_dir_),
          query_(std::move(q)),
          options_(o),
          fn_(fn),
          stats_(s),
          match_needs_(query::UsesNormalizedFields(query_)),
          normalise_(match_needs_ || o.need_events),
          buffer_(o.ordered ? o.limit : 0) {}

    Status Run();
    uint64_t* count_only = nullptr;  // Count(): whole blocks of a match-all add their counts

   private:
    Status ScanJournal(SeqNo from, std::optional<SeqNo>* first_seen,
                       std::optional<SeqNo>* last_seen);
    void Plan(const segment::SealedFileInfo& info);
    bool ReadBlock(const Candidate& c);
    bool Matched(const RecordView& r, std::string_view payload, std::string_view extra,
                 const normalize::Event* event);
    // Decodes a buffered hit again and passes it on.
    bool Deliver(const HitBuffer::Entry& e);
    bool Pass(const RecordView& r, const normalize::Event* event, int64_t t);
    int64_t TimeOf(const RecordView& r) const {
      int64_t ts = query::TimestampNs(r);
      return options_.time_of ? options_.time_of(r, ts) : ts;
    }
    bool Done() const { return options_.limit != 0 && stats_->hits >= options_.limit; }
    // Normalises r (the plain fields) and applies a sealed record's enrichment.
    void Normalise(const RecordView& r, std::string_view extra, normalize::Event* e);
    void Problem(std::string what) { stats_->problems.push_back(std::move(what)); }
    Status LoadNormalizer();

    Fs& fs_;
    const std::string& data_dir_;
    const query::Node query_;
    const RunOptions& options_;
    const HitFn& fn_;
    RunStats* stats_;
    const bool match_needs_;
    const bool normalise_;
    HitBuffer buffer_;
    std::unique_ptr<normalize::Normalizer> normalizer_;
    normalize::Event event_;
    normalize::Event plain_;
    std::string frame_;
    std::vector<std::unique_ptr<segment::SealedSegment>> segments_;
    std::vector<Candidate> candidates_;
    segment::DecodedBlock block_;
    std::string current_index_info_;  // empty: trust every segment's normalised-field terms
    bool index_info_loaded_ = false;
    bool stopped_ = false;
  };

  Fs& fs_;
  const std::string data_dir_;
};

Status EngineImpl::Execution::LoadNormalizer() {
  if (!normalise_ || normalizer_) return Status::Ok();
  StatusOr<std::unique_ptr<normalize::Normalizer>> n = normalize::LoadNormalizer(fs_, data_dir_);
  if (!n.ok()) return n.status();
  normalizer_ = std::move(*n);
  return Status::Ok();
}

void EngineImpl::Execution::Normalise(const RecordView& r, std::string_view extra,
                                      normalize::Event* e) {
  normalizer_->Normalize(r, e);
  if (!extra.empty()) {
    if (Status s = index::ApplyEnrichment(extra, e); !s.ok()) {
      Problem("record " + std::to_string(r.seq.value) + ": " + s.message());
    }
  }
}

bool EngineImpl::Execution::Pass(const RecordView& r, const normalize::Event* event, int64_t t) {
  ++stats_->hits;
  if (!fn_(Hit{r, event, t})) stopped_ = true;
  if (Done()) stopped_ = true;
  return !stopped_;
}

bool EngineImpl::Execution::Deliver(const HitBuffer::Entry& e) {
  RecordView r;
  if (!store::DecodeRecord(e.payload, &r).ok()) return true;  // decoded once already
  r.seq = e.seq;
  const normalize::Event* ev = nullptr;
  if (options_.need_events) {
    Normalise(r, e.extra, &event_);
    ev = &event_;
  }
  return Pass(r, ev, e.time_ns);
}

// Whether r matches; unordered runs pass it on at once, ordered ones buffer it. `payload` is
// the record's encoded form when the caller has it (sealed blocks), else "" (journal).
bool EngineImpl::Execution::Matched(const RecordView& r, std::string_view payload,
                                    std::string_view extra, const normalize::Event* event) {
  const int64_t t = TimeOf(r);
  if (t < options_.time_since_ns || t > options_.time_until_ns) return true;
  if (!options_.ordered) return Pass(r, options_.need_events ? event : nullptr, t);
  if (payload.empty()) {
    frame_.clear();
    store::AppendFrame(r, &frame_);
    payload = std::string_view(frame_).substr(store::journal::kFrameHeaderSize);
  }
  buffer_.Push(t, r.seq, payload, extra);
  stats_->buffered_peak = std::max<uint64_t>(stats_->buffered_peak, buffer_.size());
  return true;
}

Status EngineImpl::Execution::ScanJournal(SeqNo from, std::optional<SeqNo>* first_seen,
                                          std::optional<SeqNo>* last_seen) {
  std::string journal = JoinPath(data_dir_, "journal");
  store::ScanStats scan;
  std::unique_ptr<normalize::Correlator> correlator;
  if (normalise_) {
    // Pass 1: the lines of correlated formats (a mail's queue id, an LDAP connection) tell
    // the correlator what the other lines of their transaction will need.
    correlator = normalizer_->NewCorrelator();
    store::ScanStats pass1;
    Status observed = store::ScanJournal(
        fs_, journal, store::ScanOptions{from},
        [&](const RecordView& r) {
          if (normalizer_->MayCorrelate(r)) {
            normalizer_->Normalize(r, &plain_);
            correlator->Observe(r, plain_);
          }
          return true;
        },
        &pass1);
    if (!observed.ok()) return observed;
  }
  std::string extra;
  Status scanned = store::ScanJournal(
      fs_, journal, store::ScanOptions{from},
      [&](const RecordView& r) {
        if (r.seq < from) return true;
        if (!*first_seen) *first_seen = r.seq;
        *last_seen = r.seq;
        ++stats_->journal_records;
        ++stats_->records_examined;
        if (!options_.include_internal && r.transport == Transport::kInternal) return true;
        // A query on the record's own fields that already fails needs no normalising.
        if (!match_needs_ && !query::Matches(query_, r)) return true;
        const normalize::Event* ev = nullptr;
        extra.clear();
        if (normalise_) {
          normalizer_->Normalize(r, &plain_);
          event_ = plain_;
          correlator->Enrich(r, &event_);
          if (match_needs_ && !query::Matches(query_, r, &event_)) return true;
          if (options_.ordered && options_.need_events) {
            extra = index::EncodeEnrichment(plain_, event_);
          }
          ev = &event_;
        }
        return Matched(r, "", extra, ev);
      },
      &scan);
  if (!scanned.ok()) return scanned;
  stats_->journal_bytes_skipped += scan.bytes_skipped;
  for (std::string& p : scan.problems) Problem("journal: " + p);
  return Status::Ok();
}

void EngineImpl::Execution::Plan(const segment::SealedFileInfo& info) {
  ++stats_->segments_total;
  StatusOr<std::unique_ptr<segment::SealedSegment>> seg =
      segment::SealedSegment::Open(fs_, info.path, segment::OpenOptions{.load_sources = false});
  if (!seg.ok()) {
    // Retention may remove a segment between listing and opening; anything else is damage.
    if (seg.status().code() == Status::Code::kNotFound) return;
    ++stats_->segments_damaged;
    Problem(info.path + ": cannot open: " + seg.status().message());
    return;
  }
  if (!index::SegmentMayMatch(query_, (*seg)->meta())) return;
  ++stats_->segments_opened;
  const segment::SealedSegment& s = **seg;
  stats_->blocks_total += s.block_count();
  auto idx = static_cast<uint32_t>(segments_.size());

  // Count() of a match-all: every record of every block, from the block table.
  if (count_only && query_.kind == query::Node::Kind::kMatchAll && options_.include_internal &&
      options_.time_since_ns == INT64_MIN && options_.time_until_ns == INT64_MAX) {
    for (uint32_t b = 0; b < s.block_count(); ++b) {
      *count_only += s.block(b).count;
      stats_->hits += s.block(b).count;
    }
    return;
  }

  // Normalised-field terms of a segment indexed under other normaliser settings are not
  // trusted (the fields computed now may differ from those indexed then).
  if (!index_info_loaded_) {
    StatusOr<std::string> info = index::DataDirIndexInfo(fs_, data_dir_);
    if (info.ok()) current_index_info_ = std::move(*info);
    index_info_loaded_ = true;
  }
  StatusOr<segment::BlockSet> blocks = index::CandidateBlocks(
      query_, s, index::PlanOptions{.current_index_info = current_index_info_});
  if (!blocks.ok()) {
    // A damaged dictionary costs speed, not answers: read every block.
    Problem(info.path + ": term index unusable (" + blocks.status().message() +
            "); reading every block");
    blocks = segment::BlockSet::All(s.block_count());
  }
  blocks->ForEach([&](uint32_t b) {
    const segment::BlockInfo& info = s.block(b);
    int64_t base =
        options_.time_base == TimeBase::kReceived ? info.min_received_ns : info.min_timestamp_ns;
    int64_t key =
        base < INT64_MIN + options_.time_slack_ns ? INT64_MIN : base - options_.time_slack_ns;
    candidates_.push_back(Candidate{key, idx, b});
    return true;
  });
  segments_.push_back(std::move(*seg));
}

bool EngineImpl::Execution::ReadBlock(const Candidate& c) {
  const segment::SealedSegment& s = *segments_[c.segment];
  if (Status st = s.ReadBlock(c.block, &block_); !st.ok()) {
    ++stats_->blocks_damaged;
    Problem(s.path() + ": block " + std::to_string(c.block) + ": " + st.message() +
            "; block skipped");
    return true;
  }
  ++stats_->blocks_read;
  RecordView r;
  for (size_t i = 0; i < block_.payloads.size(); ++i) {
    std::string_view payload = block_.payloads[i];
    if (Status st = store::DecodeRecord(payload, &r); !st.ok()) {
      Problem(s.path() + ": block " + std::to_string(c.block) + ": record " + std::to_string(i) +
              ": " + st.message());
      continue;
    }
    ++stats_->records_examined;
    if (!options_.include_internal && r.transport == Transport::kInternal) continue;
    if (!match_needs_ && !query::Matches(query_, r)) continue;
    std::string_view extra = i < block_.extras.size() ? block_.extras[i] : std::string_view();
    const normalize::Event* ev = nullptr;
    if (normalise_) {
      Normalise(r, extra, &event_);
      if (match_needs_ && !query::Matches(query_, r, &event_)) continue;
      ev = &event_;
    }
    if (!Matched(r, payload, extra, ev)) return false;
  }
  return true;
}

Status EngineImpl::Execution::Run() {
  if (Status s = LoadNormalizer(); !s.ok()) return s;
  // The data directory must exist: an empty answer for a mistyped path would mislead.
  if (StatusOr<std::vector<std::string>> d = fs_.ListDir(data_dir_); !d.ok()) return d.status();

  std::string segments_dir = JoinPath(data_dir_, segment::kSegmentsDirName);
  StatusOr<std::vector<segment::SealedFileInfo>> sealed = segment::ListSealed(fs_, segments_dir);
  if (!sealed.ok()) return sealed.status();
  SeqNo covered{0};
  for (const auto& f : *sealed) covered = std::max(covered, f.last);

  // The unsealed tail first: its hits wait in the buffer (or pass at once when unordered).
  std::optional<SeqNo> first_seen, last_seen;
  if (Status s = ScanJournal(SeqNo{covered.value + 1}, &first_seen, &last_seen); !s.ok()) {
    return s;
  }
  if (stopped_) return Status::Ok();

  for (const auto& f : *sealed) Plan(f);
  // A segment sealed while the journal was scanned: its journal file may have been removed
  // before the scan reached it. Take it from sealed storage unless the scan saw its records.
  if (StatusOr<std::vector<segment::SealedFileInfo>> again = segment::ListSealed(fs_, segments_dir);
      again.ok()) {
    for (const auto& f : *again) {
      if (f.last <= covered) continue;
      bool seen = first_seen && !(f.last < *first_seen || *last_seen < f.first);
      if (!seen) Plan(f);
    }
  }

  if (!options_.ordered) {
    // Storage order: segment by segment, block by block.
    std::sort(candidates_.begin(), candidates_.end(), [](const Candidate& a, const Candidate& b) {
      return std::tie(a.segment, a.block) < std::tie(b.segment, b.block);
    });
    for (const Candidate& c : candidates_) {
      if (!ReadBlock(c) || stopped_) break;
    }
    return Status::Ok();
  }

  std::sort(candidates_.begin(), candidates_.end(), [](const Candidate& a, const Candidate& b) {
    return std::tie(a.min_key, a.segment, a.block) < std::tie(b.min_key, b.segment, b.block);
  });
  auto deliver = [this](const HitBuffer::Entry& e) { return Deliver(e); };
  for (const Candidate& c : candidates_) {
    if (!buffer_.EmitBefore(c.min_key, deliver)) return Status::Ok();
    if (options_.limit != 0) buffer_.set_keep(options_.limit - stats_->hits);
    if (!ReadBlock(c)) return Status::Ok();
  }
  buffer_.EmitBefore(INT64_MAX, deliver);
  return Status::Ok();
}

}  // namespace

StatusOr<std::unique_ptr<Engine>> Engine::Open(Fs& fs, const std::string& data_dir) {
  if (StatusOr<std::vector<std::string>> d = fs.ListDir(data_dir); !d.ok()) {
    if (d.status().code() == Status::Code::kNotFound) {
      return Status::NotFound("no data directory " + data_dir);
    }
    return d.status();
  }
  return std::unique_ptr<Engine>(std::make_unique<EngineImpl>(fs, data_dir));
}

}  // namespace kiroku::engine

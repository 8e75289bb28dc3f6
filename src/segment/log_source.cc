// Walks the seq range piece by piece: from the sealed segment covering the next wanted seq
// when there is one, else from the journal up to where the next sealed segment starts. A jump
// in the journal's seqs may be a segment the sealer removed after the listing, so before it
// is passed on as a hole the sealed segments are listed again.
#include "segment/log_source.h"

#include <algorithm>
#include <memory>

#include "segment/sealed_segment.h"
#include "segment/segment_files.h"
#include "store/journal_reader.h"
#include "store/record_codec.h"

namespace kiroku::segment {
namespace {

constexpr int kMaxRelists = 8;

class Walk {
 public:
  Walk(Fs& fs, const LogSource& src, const std::function<bool(const RecordView&)>& fn,
       LogScanStats* stats)
      : fs_(fs), src_(src), fn_(fn), stats_(stats) {}

  Status Run(uint64_t first, uint64_t last) {
    next_ = std::max<uint64_t>(first, 1);
    KIROKU_RETURN_IF_ERROR(List());
    while (next_ <= last && !stopped_) {
      const SealedFileInfo* cover = nullptr;
      const SealedFileInfo* after = nullptr;
      for (const SealedFileInfo& s : sealed_) {
        if (s.first.value <= next_ && next_ <= s.last.value) {
          cover = &s;
          break;
        }
        if (s.first.value > next_ && (after == nullptr || s.first < after->first)) after = &s;
      }
      if (cover != nullptr) {
        ReadSealed(*cover, std::min(last, cover->last.value));
        continue;
      }
      const uint64_t stop_at = after != nullptr ? std::min(last, after->first.value - 1) : last;
      uint64_t jump = 0;
      KIROKU_RETURN_IF_ERROR(ReadJournal(stop_at, &jump));
      if (stopped_ || next_ > stop_at) continue;
      // Records missing from the journal at next_: moved to a sealed segment meanwhile?
      if (relists_ < kMaxRelists) {
        ++relists_;
        KIROKU_RETURN_IF_ERROR(List());
        if (std::any_of(sealed_.begin(), sealed_.end(), [&](const SealedFileInfo& s) {
              return s.first.value <= next_ && next_ <= s.last.value;
            })) {
          continue;
        }
      }
      if (jump != 0) {
        accept_jump_from_ = next_;  // read the journal again, taking the hole this time
        continue;
      }
      uint64_t resume = 0;
      for (const SealedFileInfo& s : sealed_) {
        if (s.first.value > next_ && (resume == 0 || s.first.value < resume))
          resume = s.first.value;
      }
      if (resume == 0) break;  // the end of the log
      next_ = resume;          // a hole up to the next sealed segment
    }
    return Status::Ok();
  }

 private:
  Status List() {
    auto s = ListSealed(fs_, src_.segments_dir());
    if (!s.ok()) return s.status();
    sealed_ = std::move(*s);
    return Status::Ok();
  }

  bool Deliver(const RecordView& r, bool sealed) {
    ++stats_->records;
    if (sealed) ++stats_->sealed_records;
    next_ = r.seq.value + 1;
    if (!fn_(r)) stopped_ = true;
    return !stopped_;
  }

  void ReadSealed(const SealedFileInfo& info, uint64_t to) {
    auto seg = SealedSegment::Open(fs_, info.path);
    if (!seg.ok()) {
      stats_->problems.push_back(info.path + ": " + seg.status().ToString());
      next_ = to + 1;
      return;
    }
    const SealedSegment& s = **seg;
    std::optional<uint32_t> b = s.BlockOf(SeqNo{next_});
    const uint64_t from = next_;
    DecodedBlock block;
    for (uint32_t i = b ? *b : s.block_count(); i < s.block_count() && !stopped_; ++i) {
      const BlockInfo& info_b = s.block(i);
      if (info_b.first.value > to) break;
      if (Status st = s.ReadBlock(i, &block); !st.ok()) {
        stats_->problems.push_back(st.ToString());
        continue;
      }
      for (std::string_view payload : block.payloads) {
        RecordView r;
        if (Status d = store::DecodeRecord(payload, &r); !d.ok()) {
          stats_->problems.push_back(info.path + ": block " + std::to_string(i) + ": " +
                                     d.ToString());
          continue;
        }
        if (r.seq.value < from || r.seq.value < next_) continue;
        if (r.seq.value > to) break;
        if (!Deliver(r, true)) return;
      }
    }
    next_ = std::max(next_, to + 1);
  }

  // Journal records from next_ up to stop_at. *jump is set to the seq found where next_ was
  // due, unless that jump was already accepted.
  Status ReadJournal(uint64_t stop_at, uint64_t* jump) {
    store::ScanStats js;
    Status s = store::ScanJournal(
        fs_, src_.journal_dir(), store::ScanOptions{SeqNo{next_}},
        [&](const RecordView& r) {
          if (r.seq.value < next_) return true;
          if (r.seq.value > stop_at) {
            if (next_ <= stop_at && accept_jump_from_ != next_) *jump = r.seq.value;
            return false;
          }
          if (r.seq.value > next_ && accept_jump_from_ != next_) {
            *jump = r.seq.value;
            return false;
          }
          return Deliver(r, false);
        },
        &js);
    for (std::string& p : js.problems) stats_->problems.push_back(std::move(p));
    if (!s.ok() && s.code() != Status::Code::kNotFound) return s;
    return Status::Ok();
  }

  Fs& fs_;
  const LogSource& src_;
  const std::function<bool(const RecordView&)>& fn_;
  LogScanStats* stats_;
  std::vector<SealedFileInfo> sealed_;
  uint64_t next_ = 1;
  uint64_t accept_jump_from_ = 0;
  int relists_ = 0;
  bool stopped_ = false;
};

}  // namespace

std::string SegmentsDirForJournal(const std::string& journal_dir) {
  std::string j = journal_dir;
  while (j.size() > 1 && j.back() == '/') j.pop_back();
  return JoinPath(DirName(j), kSegmentsDirName);
}

LogSource::LogSource(Fs& fs, const std::string& data_dir)
    : fs_(fs),
      segments_dir_(JoinPath(data_dir, kSegmentsDirName)),
      journal_dir_(JoinPath(data_dir, "journal")) {}

LogSource::LogSource(Fs& fs, std::string segments_dir, std::string journal_dir)
    : fs_(fs), segments_dir_(std::move(segments_dir)), journal_dir_(std::move(journal_dir)) {}

Status LogSource::Scan(SeqNo first, SeqNo last, const std::function<bool(const RecordView&)>& fn,
                       LogScanStats* stats) const {
  LogScanStats local;
  Walk w(fs_, *this, fn, stats != nullptr ? stats : &local);
  return w.Run(first.value, last.value);
}

}  // namespace kiroku::segment

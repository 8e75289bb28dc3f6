#include "verify/journal_leaves.h"

#include "integrity/leaf.h"
#include "segment/log_source.h"

namespace kiroku::verify {
namespace {

segment::LogSource Log(Fs& fs, const std::string& journal_dir) {
  return segment::LogSource(fs, segment::SegmentsDirForJournal(journal_dir), journal_dir);
}

}  // namespace

StatusOr<OwnedRecord> ReadRecord(Fs& fs, const std::string& journal_dir, uint64_t seq) {
  OwnedRecord out;
  bool found = false;
  segment::LogScanStats stats;
  Status s = Log(fs, journal_dir)
                 .Scan(
                     SeqNo{seq}, SeqNo{seq},
                     [&](const RecordView& r) {
                       if (r.seq.value == seq) {
                         out.view = r;
                         out.raw.assign(r.raw);
                         out.view.raw = out.raw;
                         found = true;
                       }
                       return false;
                     },
                     &stats);
  if (!s.ok()) return s;
  if (!found) {
    return Status::NotFound("neither the sealed segments nor the journal hold a record with seq " +
                            std::to_string(seq));
  }
  return out;
}

integrity::LeafSource JournalLeafSource(Fs& fs, const std::string& journal_dir) {
  return [&fs, journal_dir](uint64_t begin, uint64_t end, std::vector<integrity::Hash>* out) {
    if (begin >= end) return Status::Ok();
    uint64_t next = begin + 1;  // seq of leaf `begin`
    std::string scratch;
    segment::LogScanStats stats;
    Status s = Log(fs, journal_dir)
                   .Scan(
                       SeqNo{next}, SeqNo{end},
                       [&](const RecordView& r) {
                         if (r.seq.value != next) return false;
                         out->push_back(integrity::LeafHashOf(r, &scratch));
                         return ++next <= end;
                       },
                       &stats);
    if (!s.ok()) return s;
    if (next <= end) {
      return Status::DataLoss("the log lacks record " + std::to_string(next) +
                              " needed for the proof");
    }
    return Status::Ok();
  };
}

}  // namespace kiroku::verify

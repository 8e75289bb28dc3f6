#include "evidence/journal_leaves.h"

#include "integrity/leaf.h"
#include "segment/log_source.h"

namespace kiroku::evidence {

Status JournalLeafHashes(Fs& fs, const std::string& journal_dir, uint64_t begin, uint64_t end,
                         std::vector<integrity::Hash>* out) {
  if (begin >= end) return Status::Ok();
  uint64_t next_seq = begin + 1;
  const uint64_t last_seq = end;
  std::string scratch;
  Status gap;
  segment::LogScanStats stats;
  segment::LogSource log(fs, segment::SegmentsDirForJournal(journal_dir), journal_dir);
  Status s = log.Scan(
      SeqNo{next_seq}, SeqNo{last_seq},
      [&](const RecordView& r) {
        if (r.seq.value != next_seq) {
          gap = Status::DataLoss("journal " + journal_dir + ": record " + std::to_string(next_seq) +
                                 " is missing or damaged (next readable is " +
                                 std::to_string(r.seq.value) + ")");
          return false;
        }
        out->push_back(integrity::LeafHashOf(r, &scratch));
        ++next_seq;
        return next_seq <= last_seq;
      },
      &stats);
  KIROKU_RETURN_IF_ERROR(s);
  KIROKU_RETURN_IF_ERROR(gap);
  if (next_seq <= last_seq) {
    return Status::DataLoss("journal " + journal_dir + " ends at record " +
                            std::to_string(next_seq - 1) + " but leaves up to " +
                            std::to_string(last_seq) + " were asked for");
  }
  return Status::Ok();
}

integrity::LeafSource JournalLeafSource(Fs& fs, std::string journal_dir) {
  return [&fs, dir = std::move(journal_dir)](uint64_t begin, uint64_t end,
                                             std::vector<integrity::Hash>* out) {
    return JournalLeafHashes(fs, dir, begin, end, out);
  };
}

}  // namespace kiroku::evidence

#include "verify/journal_leaves.h"

#include "integrity/leaf.h"
#include "store/journal_reader.h"

namespace kiroku::verify {

StatusOr<OwnedRecord> ReadRecord(Fs& fs, const std::string& journal_dir, uint64_t seq) {
  OwnedRecord out;
  bool found = false;
  store::ScanStats stats;
  Status s = store::ScanJournal(
      fs, journal_dir, store::ScanOptions{SeqNo{seq}},
      [&](const RecordView& r) {
        if (r.seq.value < seq) return true;
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
  if (!found)
    return Status::NotFound("the journal holds no record with seq " + std::to_string(seq));
  return out;
}

integrity::LeafSource JournalLeafSource(Fs& fs, const std::string& journal_dir) {
  return [&fs, journal_dir](uint64_t begin, uint64_t end, std::vector<integrity::Hash>* out) {
    uint64_t next = begin + 1;  // seq of leaf `begin`
    std::string scratch;
    store::ScanStats stats;
    Status s = store::ScanJournal(
        fs, journal_dir, store::ScanOptions{SeqNo{next}},
        [&](const RecordView& r) {
          if (r.seq.value < next) return true;
          if (r.seq.value != next) return false;
          out->push_back(integrity::LeafHashOf(r, &scratch));
          return ++next <= end;
        },
        &stats);
    if (!s.ok()) return s;
    if (next <= end) {
      return Status::DataLoss("the journal lacks record " + std::to_string(next) +
                              " needed for the proof");
    }
    return Status::Ok();
  };
}

}  // namespace kiroku::verify

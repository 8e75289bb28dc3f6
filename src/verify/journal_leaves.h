// Records and their leaf hashes re-read from the log, for proofs: the LeafSource that
// integrity::TreeReader asks for the few 256-record groups a proof needs, and one record's
// evidence by sequence number. Records come through segment::LogSource: the sealed segments in
// the journal directory's sibling `segments` (DATA/segments), then the journal.
//
//   integrity::TreeReader reader(tiles, JournalLeafSource(fs, "data/journal"));
//   StatusOr<OwnedRecord> r = ReadRecord(fs, "data/journal", 4711);
#pragma once

#include <cstdint>
#include <string>

#include "common/fs.h"
#include "common/record.h"
#include "common/status.h"
#include "integrity/tree_reader.h"

namespace kiroku::verify {

// A record that owns its raw bytes (view.raw points into raw).
struct OwnedRecord {
  RecordView view;
  std::string raw;
  OwnedRecord() = default;
  OwnedRecord(const OwnedRecord&) = delete;
  OwnedRecord& operator=(const OwnedRecord&) = delete;
  OwnedRecord(OwnedRecord&& o) noexcept { *this = std::move(o); }
  OwnedRecord& operator=(OwnedRecord&& o) noexcept {
    view = o.view;
    raw = std::move(o.raw);
    view.raw = raw;
    return *this;
  }
};

// kNotFound if neither the sealed segments nor the journal have record `seq`.
StatusOr<OwnedRecord> ReadRecord(Fs& fs, const std::string& journal_dir, uint64_t seq);

// Leaf hashes of records [begin, end) (leaf i = seq i + 1); kDataLoss if one is absent.
integrity::LeafSource JournalLeafSource(Fs& fs, const std::string& journal_dir);

}  // namespace kiroku::verify

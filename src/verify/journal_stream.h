// StreamJournal: every frame of every journal segment, in file order, for the verifier, at
// the speed of the disk. StreamLog: the same over the whole log, sealed segments included, in
// seq order.
//
// Unlike store::ScanJournal (which hands a reader only the valid records), this tells the
// verifier everything: each record that decodes, with whether its CRC matched (a frame whose
// CRC fails but which still decodes is a modified record, and its seq says which); damaged
// bytes that are no frame; an incomplete frame at the end of the newest segment (a write in
// progress); cut files that crash recovery set aside. It reads each segment with large
// preads into one reused buffer and allocates nothing per record. Order and density of
// sequence numbers are the visitor's business (verifier.cc): this layer only reads.
//
//   class Counter : public JournalVisitor { ... };
//   Counter c;
//   JournalStreamStats stats;
//   Status s = StreamJournal(fs, "data/journal", c, &stats);
#pragma once

#include <cstdint>
#include <string>

#include "common/fs.h"
#include "common/record.h"
#include "common/status.h"

namespace kiroku::verify {

class JournalVisitor {
 public:
  virtual ~JournalVisitor() = default;
  // A frame that decodes as a record. `crc_ok` is false for a frame whose bytes changed after
  // it was written (its CRC does not match) but whose structure still decodes.
  virtual void OnRecord(const RecordView& r, bool crc_ok, const std::string& file,
                        uint64_t offset) = 0;
  // Bytes [offset, offset + length) of `file` that hold no decodable frame.
  virtual void OnDamage(const std::string& file, uint64_t offset, uint64_t length,
                        const std::string& what) = 0;
  // An incomplete frame at the end of the newest segment: a write in progress (or torn).
  virtual void OnInProgress(const std::string& file, uint64_t offset, uint64_t length) {}
  // A cut file in the journal directory (journal.md "Cut files").
  virtual void OnCutFile(const std::string& file, uint64_t size) {}
  // The segments to be read hold `total_bytes`.
  virtual void OnListed(uint64_t total_bytes) {}
  // Another `bytes` of segment files were read.
  virtual void OnProgress(uint64_t bytes) {}
  // Sealed segments (StreamLog only). Records [first, last] of a sealed segment could not be
  // read (the file does not open, a block fails its CRC or does not decompress): none of them
  // was passed to OnRecord.
  virtual void OnSealedUnreadable(const std::string& file, uint64_t first, uint64_t last,
                                  const std::string& what) {}
  // The records [first, last] of a sealed segment were passed to OnRecord, but their leaves do
  // not hash to the segment's stored leaves_root, or they are not the seqs its metadata says.
  virtual void OnSealedMismatch(const std::string& file, uint64_t first, uint64_t last,
                                const std::string& what) {}
};

struct JournalStreamStats {
  uint64_t segments = 0;         // journal and sealed segment files read
  uint64_t sealed_segments = 0;  // of which sealed
  uint64_t bytes = 0;            // segment bytes read
  uint64_t total_bytes = 0;      // segment bytes at listing time
};

// Reads the segments listed at the start. Fails only if the directory cannot be listed.
Status StreamJournal(Fs& fs, const std::string& journal_dir, JournalVisitor& visitor,
                     JournalStreamStats* stats);

// The sealed segments of DATA/segments and the journal segments of DATA/journal, listed at the
// start, in seq order. A journal segment whose whole range a sealed segment holds (the sealer
// stopped between the two steps) is skipped: the sealed segment is the copy that counts. A
// sealed record has no frame CRC of its own: its block's CRC and the segment's leaves_root
// stand for it (OnSealedUnreadable, OnSealedMismatch); OnRecord gets crc_ok = true and the
// block number as `offset`.
Status StreamLog(Fs& fs, const std::string& data_dir, JournalVisitor& visitor,
                 JournalStreamStats* stats);

}  // namespace kiroku::verify

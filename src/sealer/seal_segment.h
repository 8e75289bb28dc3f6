// SegmentSealer: seals one closed journal segment into one sealed segment (segment/), the unit
// of work of the sealer thread (sealer.h) and of SealAll.
//
// Pass 1 reads the segment's frames, checks them (every frame whole with a good CRC, the header
// naming the segment, seqs dense from the name up to the next segment's name) and shows the
// records of correlated formats to the correlator. Pass 2 reads them again, normalises and
// enriches each one, collects its term keys and its enrichment extra, and writes blocks of
// records aligned to seq multiples of block_records; then the metadata (time bounds, sources,
// the RFC 9162 root of the segment's leaves, the index info) and Finish(). A damaged journal
// segment is refused (kDataLoss) and left as it is; nothing is ever sealed around a hole.
//
// The normaliser and the correlator belong to the SegmentSealer and live across segments, so a
// mail's delivery line sealed one segment after its sender line is still enriched.
//
//   SegmentSealer s(fs, clock, options, std::move(normalizer), index_info);
//   StatusOr<SealResult> r = s.Seal(segment, /*next_first=*/SeqNo{4097}, &stop_flag);
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "common/clock.h"
#include "common/fs.h"
#include "common/record.h"
#include "common/status.h"
#include "normalize/all/normalizer.h"
#include "sealer/sealer.h"
#include "store/journal_files.h"

namespace kiroku::sealer {

struct SealResult {
  SeqNo first;
  SeqNo last;
  uint64_t records = 0;
  uint64_t journal_bytes = 0;  // size of the journal segment that was sealed
  uint64_t sealed_bytes = 0;   // size of the sealed file
  std::string sealed_path;
};

class SegmentSealer {
 public:
  SegmentSealer(Fs& fs, const Clock& clock, const SealerOptions& options,
                std::unique_ptr<normalize::Normalizer> normalizer, std::string index_info);
  SegmentSealer(const SegmentSealer&) = delete;
  SegmentSealer& operator=(const SegmentSealer&) = delete;

  // Writes the sealed twin of the closed journal segment `seg`, whose records are
  // [seg.first, next_first). Does not delete the journal segment (the caller does, after OK).
  // kDataLoss: the journal segment is damaged (nothing written); kUnavailable: *stop became true
  // (the temporary is removed); other errors: I/O (the temporary is removed; retry later).
  StatusOr<SealResult> Seal(const store::SegmentInfo& seg, SeqNo next_first,
                            const std::atomic<bool>* stop = nullptr);

 private:
  Fs& fs_;
  const Clock& clock_;
  const SealerOptions options_;
  std::unique_ptr<normalize::Normalizer> normalizer_;
  std::unique_ptr<normalize::Correlator> correlator_;
  std::string index_info_;
};

// Loads DATA/normalize.json (the server's normalisation settings) into a SegmentSealer.
StatusOr<std::unique_ptr<SegmentSealer>> MakeSegmentSealer(Fs& fs, const Clock& clock,
                                                           const SealerOptions& options);

}  // namespace kiroku::sealer

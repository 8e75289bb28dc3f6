// Sealer: turns closed journal segments into sealed segments (segment/), off the hot path.
//
// For each journal segment that is no longer active (the committer rotated past it on size or
// age), in seq order: decode its records, normalise and correlate them (the correlator lives
// across segments, bounded), collect their term keys (index/terms.h) per block of 1024 records
// aligned to seq multiples of 1024 (four Merkle groups), write the sealed segment through
// SegmentWriter (tmp, fsync, rename, dir fsync, 0444), and only then delete the journal segment.
// A crash at any step leaves the journal segment, or the sealed segment, or both (start-up then
// deletes the journal copy): never neither, and never a half file that is trusted.
//
//   Sealer sealer(fs, clock, metrics, options);
//   sealer.Start();            // thread; wakes when the committer rotates, and every second
//   sealer.Stop();
//   Status s = SealAll(fs, clock, options);   // kiroku import: seal everything, active included
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "common/clock.h"
#include "common/fs.h"
#include "common/metrics.h"
#include "common/status.h"

namespace kiroku::sealer {

struct SealerOptions {
  std::string data_dir;
  int zstd_level = 3;
  uint32_t block_records = 1024;
};

// Removes sealing temporaries and journal segments whose whole range a sealed segment holds.
Status RecoverSealing(Fs& fs, const SealerOptions& options);

}  // namespace kiroku::sealer

// SealedSegment: reads one sealed segment file (docs/formats/segment.md). Opening reads only the
// footer, metadata, block table and the term dictionary's sparse index, so a fresh process can
// open a year of segments and look a term up in each in milliseconds; blocks are read and
// decompressed one at a time, on demand, and every block's CRC is checked before it is trusted.
//
//   auto seg = SealedSegment::Open(fs, path);
//   BlockSet blocks;
//   (*seg)->Lookup(key, &blocks);
//   DecodedBlock b;
//   (*seg)->ReadBlock(3, &b);
//   for (size_t i = 0; i < b.payloads.size(); ++i) store::DecodeRecord(b.payloads[i], &view);
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/fs.h"
#include "common/record.h"
#include "common/status.h"
#include "segment/block_set.h"
#include "segment/segment_writer.h"

namespace kiroku::segment {

struct BlockInfo {
  SeqNo first;
  uint32_t count = 0;
  int64_t min_timestamp_ns = 0;
  int64_t max_timestamp_ns = 0;
  int64_t min_received_ns = 0;
  int64_t max_received_ns = 0;
};

// A decompressed block. The views point into `storage`; valid while the DecodedBlock lives and
// is not reused.
struct DecodedBlock {
  std::string storage;
  std::vector<std::string_view> payloads;  // journal kSyslog payloads, seq order
  std::vector<std::string_view> extras;    // one per payload ("" when none)
};

struct OpenOptions {
  // False only to let a fuzzer reach the parsers behind the CRCs; every length is still
  // checked, so damage gives Corruption either way.
  bool verify_checksums = true;
  // False: meta().sources stays empty (they are still checked). For searches, which need
  // none of them.
  bool load_sources = true;
};

class SealedSegment {
 public:
  // Corruption (naming the file and what is wrong) when the footer, metadata, block table or
  // dictionary index is damaged; NotFound when the file is gone.
  static StatusOr<std::unique_ptr<SealedSegment>> Open(Fs& fs, const std::string& path);
  static StatusOr<std::unique_ptr<SealedSegment>> Open(Fs& fs, const std::string& path,
                                                       const OpenOptions& options);
  virtual ~SealedSegment() = default;

  virtual const std::string& path() const = 0;
  virtual const SegmentMeta& meta() const = 0;
  virtual uint32_t block_count() const = 0;
  virtual const BlockInfo& block(uint32_t i) const = 0;
  // The block holding `seq`; nullopt outside [meta().first, meta().last].
  virtual std::optional<uint32_t> BlockOf(SeqNo seq) const = 0;

  // The blocks whose records carry exactly this term key (empty set when the key is absent).
  virtual Status Lookup(std::string_view key, BlockSet* out) const = 0;
  // Every key in [lo, hi] (byte order, inclusive) in order; fn gets the key and its blocks and
  // returns false to stop. Prefix and range queries use it.
  virtual Status ScanRange(
      std::string_view lo, std::string_view hi,
      const std::function<bool(std::string_view key, const BlockSet& blocks)>& fn) const = 0;

  // Reads, checks (CRC) and decompresses block i. Corruption names the file and block.
  virtual Status ReadBlock(uint32_t i, DecodedBlock* out) const = 0;

  // Distinct term keys in the dictionary, and the bytes Open() keeps in memory for the
  // dictionary's sparse index (for benchmarks and the index's size report).
  virtual uint64_t key_count() const = 0;
  virtual uint64_t sparse_index_bytes() const = 0;
};

}  // namespace kiroku::segment

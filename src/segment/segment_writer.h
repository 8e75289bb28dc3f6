// SegmentWriter: writes one sealed segment file (docs/formats/segment.md): the records of a
// contiguous seq range in zstd-compressed blocks that each decompress on their own, a sorted
// term dictionary whose entries point to the blocks holding the term (CRoaring posting lists),
// a block table (seq range, time bounds, offsets, CRC per block) and the segment's metadata.
//
// The container knows nothing about what terms mean: term keys are opaque byte strings made by
// index/terms.h, and each record may carry an opaque `extra` (index/enrichment.h).
//
// Crash safety: everything goes to sealing-<first>.tmp; Finish() fsyncs it, renames it to NAME.seg,
// fsyncs the directory and makes the file read-only (0444). Until Finish() returns OK nothing
// is trusted: readers never open .tmp files and start-up removes them.
//
//   auto w = SegmentWriter::Create(fs, data_dir + "/segments", opts);
//   for (...) (*w)->AddBlock(block);     // blocks in seq order, seqs contiguous
//   Status s = (*w)->Finish(meta);       // the file is now sealed
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/fs.h"
#include "common/record.h"
#include "common/status.h"

namespace kiroku::segment {

// One block's input: consecutive records (journal kSyslog payloads, store/record_codec.h, so the
// evidence bytes are kept exactly and the Merkle leaves can be recomputed from a block).
struct BlockInput {
  std::vector<std::string_view> payloads;  // seqs consecutive, continuing the previous block
  std::vector<std::string_view> extras;    // empty, or one per payload (may be empty strings)
  std::vector<std::string> terms;          // the term keys of these records (any order, dups ok)
  int64_t min_timestamp_ns = 0;            // @timestamp (device time, else receive time)
  int64_t max_timestamp_ns = 0;
  int64_t min_received_ns = 0;  // event.created
  int64_t max_received_ns = 0;
};

// One sending source (host name as logged + peer address) and its record count.
struct SourceCount {
  std::string host;     // as logged (may be empty)
  std::string address;  // peer address text, "" when none (import, internal)
  uint64_t records = 0;
  int64_t first_received_ns = 0;
  int64_t last_received_ns = 0;
};

struct SegmentMeta {
  SeqNo first;
  SeqNo last;
  int64_t min_timestamp_ns = 0;
  int64_t max_timestamp_ns = 0;
  int64_t min_received_ns = 0;
  int64_t max_received_ns = 0;
  int64_t sealed_at_ns = 0;
  // The Merkle tree hash (RFC 9162 MTH) of the leaves first..last: the segment's subtree
  // information, so a segment can be checked against the signed tiles on its own.
  std::string leaves_root;  // 32 bytes
  std::vector<SourceCount> sources;
  std::string index_info;  // opaque (index/terms.h: version, indexed fields, settings hash)
};

struct SegmentWriterOptions {
  int zstd_level = 3;
};

// What a writer has written so far (complete after Finish), for benchmarks and metrics.
struct WriterStats {
  uint64_t block_bytes = 0;        // compressed blocks on disk
  uint64_t block_body_bytes = 0;   // the same blocks before zstd
  uint64_t keys = 0;               // distinct term keys
  uint64_t dict_bytes = 0;         // dictionary blocks on disk
  uint64_t posting_bytes = 0;      // posting lists inside them, before zstd
  uint64_t sparse_body_bytes = 0;  // sparse index before zstd
  uint64_t file_bytes = 0;         // the whole file (after Finish)
};

class SegmentWriter {
 public:
  // Creates the temporary DIR/sealing-<first>.tmp (replacing a stale one); the final name
  // DIR/<first>-<last>.seg is known at Finish().
  static StatusOr<std::unique_ptr<SegmentWriter>> Create(Fs& fs, const std::string& dir,
                                                         SeqNo first,
                                                         const SegmentWriterOptions& options);
  virtual ~SegmentWriter() = default;
  // Compresses and appends one block. InvalidArgument if its seqs do not continue the previous
  // block's or a payload does not decode.
  virtual Status AddBlock(const BlockInput& block) = 0;
  // Writes the term dictionary, block table, metadata and footer; fsync, rename, dir fsync,
  // chmod 0444. REQUIRES: meta.first/last match the blocks added.
  virtual Status Finish(const SegmentMeta& meta) = 0;
  // Removes the temporary (also done by the destructor when Finish() was not called).
  virtual void Abandon() = 0;
  virtual WriterStats stats() const = 0;
};

}  // namespace kiroku::segment

// Sealed segment file layout (docs/formats/segment.md has the byte grammar):
//
//   header      32 bytes: magic "KIROKUS1", version, header size, first seq, CRC
//   zstd dict   raw content (the first block's body) every block is compressed against
//   blocks      one zstd frame per block of records (columnar body, internal/block_codec.h)
//   dictionary  term keys in byte order, front-coded, in blocks of ~kDictBlockTarget bytes,
//               each block a zstd frame (or raw when that is smaller)
//   block table 64 bytes per block: first seq, count, CRC, time bounds, offset, lengths
//   sparse index packed: the first key, length, CRC of every dictionary block
//   meta        packed SegmentMeta
//   footer      136 bytes: where each section is, counts, CRC, magic at the very end
//
// Everything after the blocks is written by Finish(); the table, sparse index and meta sit
// together before the footer so that Open() reads them with one pread.
#include "segment/segment_writer.h"

#include <algorithm>

#include "common/crc32c.h"
#include "segment/internal/block_codec.h"
#include "segment/internal/compress.h"
#include "segment/internal/format.h"
#include "segment/internal/meta_codec.h"
#include "segment/internal/term_dict.h"
#include "segment/segment_files.h"
#include "store/internal/coding.h"
#include "store/journal_format.h"
#include "store/record_codec.h"

namespace kiroku::segment {
namespace {

using internal::PutVarint64;
using store::internal::EncodeFixed32;
using store::internal::EncodeFixed64;

uint32_t MaskedCrc(std::string_view s) { return crc32c::Mask(crc32c::Value(s.data(), s.size())); }

struct TableEntry {
  BlockInfo info;
  uint64_t offset = 0;
  uint32_t stored_len = 0;
  uint32_t body_len = 0;
  uint32_t crc = 0;
};

class Writer final : public SegmentWriter {
 public:
  Writer(Fs& fs, std::string dir, SeqNo first, const SegmentWriterOptions& options,
         std::unique_ptr<WritableFile> file)
      : fs_(fs),
        dir_(std::move(dir)),
        tmp_path_(JoinPath(dir_, SealingTempName(first))),
        first_(first),
        next_(first),
        options_(options),
        compressor_(options.zstd_level),
        plain_compressor_(options.zstd_level),
        file_(std::move(file)) {}

  ~Writer() override {
    if (!finished_) Abandon();
  }

  Status WriteHeader() {
    char h[internal::kHeaderSize] = {};
    std::copy(std::begin(internal::kMagic), std::end(internal::kMagic), h);
    EncodeFixed32(h + internal::kHeaderVersionOffset, internal::kFormatVersion);
    EncodeFixed32(h + internal::kHeaderSizeOffset, internal::kHeaderSize);
    EncodeFixed64(h + internal::kHeaderFirstSeqOffset, first_.value);
    EncodeFixed32(h + internal::kHeaderCrcOffset,
                  MaskedCrc(std::string_view(h, internal::kHeaderCrcOffset)));
    return Append(std::string_view(h, sizeof h));
  }

  Status AddBlock(const BlockInput& block) override {
    KIROKU_RETURN_IF_ERROR(error_);
    if (finished_) return Status::InvalidArgument("segment writer: AddBlock after Finish");
    if (block.payloads.empty()) return Status::InvalidArgument("segment writer: empty block");
    if (!block.extras.empty() && block.extras.size() != block.payloads.size()) {
      return Status::InvalidArgument("segment writer: extras must be empty or one per payload");
    }
    if (table_.size() >= UINT32_MAX - 1) return Status::InvalidArgument("too many blocks");
    for (size_t i = 0; i < block.payloads.size(); ++i) {
      RecordView v;
      Status s = store::DecodeRecord(block.payloads[i], &v);
      if (!s.ok()) {
        return Status::InvalidArgument("segment writer: payload " + std::to_string(i) +
                                       " does not decode: " + s.message());
      }
      if (v.seq.value != next_.value + i) {
        return Status::InvalidArgument("segment writer: payload " + std::to_string(i) +
                                       " has seq " + std::to_string(v.seq.value) + ", expected " +
                                       std::to_string(next_.value + i));
      }
    }
    internal::EncodeBlockBody(block.payloads, block.extras, &body_);
    if (body_.size() >= internal::kMaxBodyLen) {
      return Status::InvalidArgument("segment writer: block of " + std::to_string(body_.size()) +
                                     " bytes is too large");
    }
    if (table_.empty()) {
      // The first block's body is the dictionary of every block (blocks still decompress on
      // their own: the dictionary is in the file, not in another block).
      std::string_view zdict = std::string_view(body_).substr(
          body_.size() > internal::kMaxZdictSize ? body_.size() - internal::kMaxZdictSize : 0);
      if (!compressor_.SetDictionary(zdict)) return Fail(Status::IoError("zstd dictionary"));
      zdict_len_ = static_cast<uint32_t>(zdict.size());
      zdict_crc_ = MaskedCrc(zdict);
      KIROKU_RETURN_IF_ERROR(Append(zdict));
    }
    if (!compressor_.Compress(body_, &stored_)) return Fail(Status::IoError("zstd failed"));
    TableEntry e;
    e.info.first = next_;
    e.info.count = static_cast<uint32_t>(block.payloads.size());
    e.info.min_timestamp_ns = block.min_timestamp_ns;
    e.info.max_timestamp_ns = block.max_timestamp_ns;
    e.info.min_received_ns = block.min_received_ns;
    e.info.max_received_ns = block.max_received_ns;
    e.offset = file_->Size();
    e.stored_len = static_cast<uint32_t>(stored_.size());
    e.body_len = static_cast<uint32_t>(body_.size());
    e.crc = MaskedCrc(stored_);
    KIROKU_RETURN_IF_ERROR(Append(stored_));
    const auto index = static_cast<uint32_t>(table_.size());
    for (const std::string& key : block.terms) terms_.Add(key, index);
    table_.push_back(e);
    next_.value += block.payloads.size();
    stats_.block_body_bytes += body_.size();
    stats_.block_bytes += stored_.size();
    return Status::Ok();
  }

  Status Finish(const SegmentMeta& meta) override {
    KIROKU_RETURN_IF_ERROR(error_);
    if (finished_) return Status::InvalidArgument("segment writer: Finish called twice");
    if (table_.empty()) return Status::InvalidArgument("segment writer: no blocks");
    if (meta.first != first_ || meta.last.value != next_.value - 1) {
      return Status::InvalidArgument(
          "segment writer: meta range " + std::to_string(meta.first.value) + ".." +
          std::to_string(meta.last.value) + " does not match the blocks " +
          std::to_string(first_.value) + ".." + std::to_string(next_.value - 1));
    }
    KIROKU_RETURN_IF_ERROR(WriteDictionary());
    const uint64_t table_off = file_->Size();
    std::string table;
    table.reserve(table_.size() * internal::kTableEntrySize);
    for (const TableEntry& e : table_) AppendTableEntry(e, &table);
    std::string sparse;
    internal::PackSection(sparse_body_, &plain_compressor_, &sparse);
    std::string meta_bytes;
    internal::PackSection(internal::EncodeMeta(meta), &plain_compressor_, &meta_bytes);

    char f[internal::kFooterSize] = {};
    EncodeFixed64(f + internal::kFooterDictOffset, dict_off_);
    EncodeFixed64(f + internal::kFooterDictLen, table_off - dict_off_);
    EncodeFixed64(f + internal::kFooterTableOffset, table_off);
    EncodeFixed64(f + internal::kFooterTableLen, table.size());
    EncodeFixed64(f + internal::kFooterSparseOffset, table_off + table.size());
    EncodeFixed64(f + internal::kFooterSparseLen, sparse.size());
    EncodeFixed64(f + internal::kFooterMetaOffset, table_off + table.size() + sparse.size());
    EncodeFixed64(f + internal::kFooterMetaLen, meta_bytes.size());
    EncodeFixed32(f + internal::kFooterTableCrc, MaskedCrc(table));
    EncodeFixed32(f + internal::kFooterSparseCrc, MaskedCrc(sparse));
    EncodeFixed32(f + internal::kFooterMetaCrc, MaskedCrc(meta_bytes));
    EncodeFixed32(f + internal::kFooterBlockCount, static_cast<uint32_t>(table_.size()));
    EncodeFixed32(f + internal::kFooterDictBlockCount, dict_blocks_);
    EncodeFixed32(f + internal::kFooterVersion, internal::kFormatVersion);
    EncodeFixed64(f + internal::kFooterKeyCount, terms_.size());
    EncodeFixed64(f + internal::kFooterFirstSeq, meta.first.value);
    EncodeFixed64(f + internal::kFooterLastSeq, meta.last.value);
    EncodeFixed32(f + internal::kFooterZdictLen, zdict_len_);
    EncodeFixed32(f + internal::kFooterZdictCrc, zdict_crc_);
    EncodeFixed32(f + internal::kFooterCrc, MaskedCrc(std::string_view(f, internal::kFooterCrc)));
    std::copy(std::begin(internal::kMagic), std::end(internal::kMagic), f + internal::kFooterMagic);
    std::string_view parts[] = {table, sparse, meta_bytes, std::string_view(f, sizeof f)};
    KIROKU_RETURN_IF_ERROR(AppendV(parts));

    KIROKU_RETURN_IF_ERROR(Check(file_->Sync()));
    KIROKU_RETURN_IF_ERROR(Check(file_->Close()));
    file_.reset();
    // Read-only before it gets its final name, so no moment exists in which a sealed file
    // could be written through its name.
    KIROKU_RETURN_IF_ERROR(Check(fs_.SetFileMode(tmp_path_, 0444)));
    const std::string final_path = JoinPath(dir_, SealedFileName(meta.first, meta.last));
    KIROKU_RETURN_IF_ERROR(Check(fs_.Rename(tmp_path_, final_path)));
    if (Status s = fs_.SyncDir(dir_); !s.ok()) {
      // The rename may not be durable: report failure and leave nothing that looks sealed
      // (the journal still holds the records; the caller retries).
      (void)fs_.Remove(final_path);
      return Fail(s);
    }
    finished_ = true;
    stats_.file_bytes = table_off + table.size() + sparse.size() + meta_bytes.size() + sizeof f;
    return Status::Ok();
  }

  void Abandon() override {
    file_.reset();
    if (!finished_) (void)fs_.Remove(tmp_path_);
    finished_ = true;
    if (error_.ok()) error_ = Status::InvalidArgument("segment writer: abandoned");
  }

  WriterStats stats() const override { return stats_; }

 private:
  Status Check(Status s) { return s.ok() ? s : Fail(std::move(s)); }
  Status Fail(Status s) {
    if (error_.ok()) error_ = s;
    return s;
  }
  Status Append(std::string_view data) { return Check(file_->Append(data)); }
  Status AppendV(std::span<const std::string_view> parts) { return Check(file_->AppendV(parts)); }

  static void AppendTableEntry(const TableEntry& e, std::string* out) {
    char b[internal::kTableEntrySize] = {};
    EncodeFixed64(b + internal::kEntryFirstSeq, e.info.first.value);
    EncodeFixed32(b + internal::kEntryCount, e.info.count);
    EncodeFixed32(b + internal::kEntryCrc, e.crc);
    EncodeFixed64(b + internal::kEntryMinTs, static_cast<uint64_t>(e.info.min_timestamp_ns));
    EncodeFixed64(b + internal::kEntryMaxTs, static_cast<uint64_t>(e.info.max_timestamp_ns));
    EncodeFixed64(b + internal::kEntryMinRecv, static_cast<uint64_t>(e.info.min_received_ns));
    EncodeFixed64(b + internal::kEntryMaxRecv, static_cast<uint64_t>(e.info.max_received_ns));
    EncodeFixed64(b + internal::kEntryOffset, e.offset);
    EncodeFixed32(b + internal::kEntryStoredLen, e.stored_len);
    EncodeFixed32(b + internal::kEntryBodyLen, e.body_len);
    out->append(b, sizeof b);
  }

  // Dictionary blocks: entries front-coded against the previous key of the same block (the
  // first entry of each block is whole), each block compressed on its own; the sparse index
  // gets every block's first key.
  Status WriteDictionary() {
    dict_off_ = file_->Size();
    std::string block;
    std::string first_key;
    std::string prev_key;  // of the previous entry, in this block
    std::string prev_sparse_key;
    std::string sparse_entries;
    uint64_t sparse_count = 0;
    Status status;
    auto flush = [&]() {
      if (block.empty() || !status.ok()) return;
      std::string z;
      bool zstd = plain_compressor_.Compress(block, &z) && z.size() < block.size();
      std::string_view stored = zstd ? std::string_view(z) : std::string_view(block);
      size_t shared = 0;
      while (shared < first_key.size() && shared < prev_sparse_key.size() &&
             first_key[shared] == prev_sparse_key[shared]) {
        ++shared;
      }
      PutVarint64(&sparse_entries, shared);
      PutVarint64(&sparse_entries, first_key.size() - shared);
      sparse_entries.append(first_key, shared);
      PutVarint64(&sparse_entries, stored.size());
      PutVarint64(&sparse_entries, block.size());
      sparse_entries.push_back(
          static_cast<char>(zstd ? internal::kCodecZstd : internal::kCodecRaw));
      char crc[4];
      EncodeFixed32(crc, MaskedCrc(stored));
      sparse_entries.append(crc, 4);
      ++sparse_count;
      prev_sparse_key = first_key;
      status = Append(stored);
      block.clear();
      ++dict_blocks_;
      stats_.dict_bytes += stored.size();
    };
    terms_.ForEachSorted([&](std::string_view key, std::span<const uint32_t> blocks) {
      if (!status.ok()) return;
      size_t shared = 0;
      if (block.empty()) {
        first_key.assign(key);
      } else {
        while (shared < key.size() && shared < prev_key.size() && key[shared] == prev_key[shared]) {
          ++shared;
        }
      }
      PutVarint64(&block, shared);
      PutVarint64(&block, key.size() - shared);
      block.append(key.substr(shared));
      size_t before = block.size();
      internal::EncodePosting(blocks, &block);
      stats_.posting_bytes += block.size() - before;
      prev_key.assign(key);
      if (block.size() >= internal::kDictBlockTarget) flush();
    });
    flush();
    KIROKU_RETURN_IF_ERROR(status);
    sparse_body_.clear();
    PutVarint64(&sparse_body_, sparse_count);
    sparse_body_ += sparse_entries;
    stats_.keys = terms_.size();
    stats_.sparse_body_bytes = sparse_body_.size();
    return Status::Ok();
  }

  Fs& fs_;
  const std::string dir_;
  const std::string tmp_path_;
  const SeqNo first_;
  SeqNo next_;
  SegmentWriterOptions options_;
  internal::Compressor compressor_;        // blocks, against the dictionary
  internal::Compressor plain_compressor_;  // everything else
  std::unique_ptr<WritableFile> file_;
  Status error_;
  bool finished_ = false;
  std::vector<TableEntry> table_;
  internal::TermTable terms_;
  std::string body_;    // scratch
  std::string stored_;  // scratch
  uint64_t dict_off_ = 0;
  uint32_t dict_blocks_ = 0;
  uint32_t zdict_len_ = 0;
  uint32_t zdict_crc_ = 0;
  std::string sparse_body_;
  WriterStats stats_;
};

}  // namespace

StatusOr<std::unique_ptr<SegmentWriter>> SegmentWriter::Create(
    Fs& fs, const std::string& dir, SeqNo first, const SegmentWriterOptions& options) {
  if (first.value == 0) return Status::InvalidArgument("segment writer: seq 0");
  KIROKU_RETURN_IF_ERROR(fs.CreateDirs(dir));
  const std::string tmp = JoinPath(dir, SealingTempName(first));
  auto file = fs.CreateExclusive(tmp, 0640);
  if (!file.ok() && file.status().code() == Status::Code::kAlreadyExists) {
    // A stale temporary from a crashed attempt: never trusted, so replace it.
    KIROKU_RETURN_IF_ERROR(fs.Remove(tmp));
    file = fs.CreateExclusive(tmp, 0640);
  }
  if (!file.ok() && file.status().code() == Status::Code::kUnavailable) {
    Status removed = fs.Remove(tmp);
    if (!removed.ok() && removed.code() != Status::Code::kNotFound) return removed;
    file = fs.OpenAppendable(tmp);
  }
  if (!file.ok()) return file.status();
  auto w = std::make_unique<Writer>(fs, dir, first, options, std::move(*file));
  KIROKU_RETURN_IF_ERROR(w->WriteHeader());
  return std::unique_ptr<SegmentWriter>(std::move(w));
}

}  // namespace kiroku::segment

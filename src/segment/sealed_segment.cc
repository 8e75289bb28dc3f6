// Reading a sealed segment (layout: segment_writer.cc and docs/formats/segment.md). Open()
// reads the footer, then the block table, sparse index and meta that sit right before it (one
// pread for both when the tail is small); Lookup and ScanRange read one dictionary block per
// sparse-index step; ReadBlock reads one block. Every length and offset read from the file is
// checked against the file before it is used.
#include "segment/sealed_segment.h"

#include <algorithm>
#include <cstring>
#include <mutex>

#include "common/crc32c.h"
#include "segment/internal/block_codec.h"
#include "segment/internal/compress.h"
#include "segment/internal/format.h"
#include "segment/internal/meta_codec.h"
#include "segment/internal/term_dict.h"
#include "store/internal/coding.h"

namespace kiroku::segment {
namespace {

namespace in = internal;
using store::internal::DecodeFixed32;
using store::internal::DecodeFixed64;

constexpr size_t kSpeculativeTail = 64 << 10;

uint32_t MaskedCrc(std::string_view s) { return crc32c::Mask(crc32c::Value(s.data(), s.size())); }

struct BlockLoc {
  uint64_t offset = 0;
  uint32_t stored_len = 0;
  uint32_t body_len = 0;
  uint32_t crc = 0;
};

struct DictRef {
  std::string first_key;
  uint64_t offset = 0;
  uint32_t stored_len = 0;
  uint32_t body_len = 0;
  uint8_t codec = 0;
  uint32_t crc = 0;
};

class Reader final : public SealedSegment {
 public:
  Reader(std::string path, std::unique_ptr<RandomAccessFile> file, const OpenOptions& options)
      : path_(std::move(path)),
        file_(std::move(file)),
        verify_(options.verify_checksums),
        load_sources_(options.load_sources) {}
  ~Reader() override { ZSTD_freeDDict(ddict_); }

  Status Load();

  const std::string& path() const override { return path_; }
  const SegmentMeta& meta() const override { return meta_; }
  uint32_t block_count() const override { return static_cast<uint32_t>(blocks_.size()); }
  const BlockInfo& block(uint32_t i) const override { return blocks_.at(i); }
  uint64_t key_count() const override { return key_count_; }
  uint64_t sparse_index_bytes() const override { return sparse_bytes_; }

  std::optional<uint32_t> BlockOf(SeqNo seq) const override {
    if (seq < meta_.first || seq > meta_.last) return std::nullopt;
    auto it = std::upper_bound(blocks_.begin(), blocks_.end(), seq,
                               [](SeqNo s, const BlockInfo& b) { return s < b.first; });
    return static_cast<uint32_t>(it - blocks_.begin() - 1);
  }

  Status Lookup(std::string_view key, BlockSet* out) const override {
    *out = BlockSet();
    bool found = false;
    return Scan(key, key, [&](std::string_view, const BlockSet& blocks) {
      *out = blocks;
      found = true;
      return false;
    });
  }

  Status ScanRange(
      std::string_view lo, std::string_view hi,
      const std::function<bool(std::string_view, const BlockSet&)>& fn) const override {
    return Scan(lo, hi, fn);
  }

  Status ReadBlock(uint32_t i, DecodedBlock* out) const override {
    if (i >= blocks_.size()) {
      return Status::InvalidArgument(path_ + ": no block " + std::to_string(i));
    }
    const BlockLoc& loc = locs_[i];
    std::string stored;
    KIROKU_RETURN_IF_ERROR(ReadExact(loc.offset, loc.stored_len, &stored, BlockName(i)));
    if (verify_ && MaskedCrc(stored) != loc.crc) {
      return Corrupt(BlockName(i) + ": CRC mismatch");
    }
    std::call_once(zdict_once_, [this] { zdict_status_ = LoadZdict(); });
    KIROKU_RETURN_IF_ERROR(zdict_status_);
    std::string body;
    if (!in::DecompressExact(stored, loc.body_len, &body, ddict_)) {
      return Corrupt(BlockName(i) + ": does not decompress to " + std::to_string(loc.body_len) +
                     " bytes");
    }
    std::string why;
    if (!in::DecodeBlockBody(body, blocks_[i].first, blocks_[i].count, out, &why)) {
      return Corrupt(BlockName(i) + ": " + why);
    }
    return Status::Ok();
  }

 private:
  static std::string BlockName(uint32_t i) { return "block " + std::to_string(i); }
  Status Corrupt(const std::string& what) const {
    return Status::Corruption("sealed segment " + path_ + ": " + what);
  }

  Status ReadExact(uint64_t offset, uint64_t n, std::string* out, const std::string& what) const {
    if (offset > file_size_ || n > file_size_ - offset) {
      return Corrupt(what + " lies outside the file");
    }
    out->resize(n);
    size_t done = 0;
    while (done < n) {
      auto r = file_->Read(offset + done, n - done, out->data() + done);
      if (!r.ok()) return r.status();
      if (*r == 0) return Corrupt(what + ": file is shorter than its footer says");
      done += *r;
    }
    return Status::Ok();
  }

  // The zstd dictionary every block is compressed against, read on the first ReadBlock (a
  // query that only consults the index never needs it).
  Status LoadZdict() const {
    if (zdict_len_ == 0) return Status::Ok();
    std::string content;
    KIROKU_RETURN_IF_ERROR(ReadExact(in::kHeaderSize, zdict_len_, &content, "zstd dictionary"));
    if (verify_ && MaskedCrc(content) != zdict_crc_) {
      return Corrupt("zstd dictionary: CRC mismatch");
    }
    ddict_ = ZSTD_createDDict(content.data(), content.size());
    if (ddict_ == nullptr) return Corrupt("zstd dictionary: not usable");
    return Status::Ok();
  }

  Status LoadDictBlock(size_t i, std::string* body) const {
    const DictRef& d = dict_[i];
    const std::string what = "dictionary block " + std::to_string(i);
    std::string stored;
    KIROKU_RETURN_IF_ERROR(ReadExact(d.offset, d.stored_len, &stored, what));
    if (verify_ && MaskedCrc(stored) != d.crc) return Corrupt(what + ": CRC mismatch");
    if (d.codec == in::kCodecRaw) {
      if (stored.size() != d.body_len) return Corrupt(what + ": length mismatch");
      *body = std::move(stored);
    } else if (!in::DecompressExact(stored, d.body_len, body)) {
      return Corrupt(what + ": does not decompress");
    }
    return Status::Ok();
  }

  Status Scan(std::string_view lo, std::string_view hi,
              const std::function<bool(std::string_view, const BlockSet&)>& fn) const {
    if (dict_.empty() || lo > hi) return Status::Ok();
    auto it =
        std::upper_bound(dict_.begin(), dict_.end(), lo,
                         [](std::string_view k, const DictRef& d) { return k < d.first_key; });
    size_t i = it == dict_.begin() ? 0 : static_cast<size_t>(it - dict_.begin() - 1);
    std::string body;
    std::string key, prev;
    for (; i < dict_.size(); ++i) {
      if (dict_[i].first_key > hi) return Status::Ok();
      KIROKU_RETURN_IF_ERROR(LoadDictBlock(i, &body));
      auto what = [i] { return "dictionary block " + std::to_string(i); };
      in::Cursor c(body);
      bool first = true;
      while (!c.AtEnd()) {
        uint64_t shared = 0;
        std::string_view suffix;
        if (!c.Varint(&shared) || shared > key.size() || (first && shared != 0) ||
            !c.LenBytes(&suffix)) {
          return Corrupt(what() + ": damaged entry");
        }
        prev.swap(key);
        key.assign(prev, 0, shared);
        key.append(suffix);
        if (first ? key != dict_[i].first_key : key <= prev) {
          return Corrupt(what() + ": keys out of order");
        }
        first = false;
        if (key < lo) {
          if (!in::SkipPosting(&c)) return Corrupt(what() + ": damaged posting list");
          continue;
        }
        if (key > hi) return Status::Ok();
        BlockSet blocks;
        if (!in::DecodePosting(&c, block_count(), &blocks)) {
          return Corrupt(what() + ": damaged posting list for a key");
        }
        if (!fn(key, blocks)) return Status::Ok();
      }
      if (i + 1 < dict_.size() && key >= dict_[i + 1].first_key) {
        return Corrupt(what() + ": overlaps the next block");
      }
    }
    return Status::Ok();
  }

  Status ParseFooter(std::string_view f);
  Status ParseHeader(std::string_view h);
  Status ParseTable(std::string_view t);
  Status ParseSparse(std::string_view stored);
  Status ParseMeta(std::string_view stored);

  const std::string path_;
  std::unique_ptr<RandomAccessFile> file_;
  const bool verify_;
  const bool load_sources_;
  uint64_t file_size_ = 0;
  SegmentMeta meta_;
  std::vector<BlockInfo> blocks_;
  std::vector<BlockLoc> locs_;
  std::vector<DictRef> dict_;
  uint64_t key_count_ = 0;
  uint32_t zdict_len_ = 0, zdict_crc_ = 0;
  mutable std::once_flag zdict_once_;
  mutable Status zdict_status_;
  mutable ZSTD_DDict* ddict_ = nullptr;
  uint64_t sparse_bytes_ = 0;
  // From the footer.
  uint64_t dict_off_ = 0, dict_len_ = 0, table_off_ = 0, table_len_ = 0, sparse_off_ = 0,
           sparse_len_ = 0, meta_off_ = 0, meta_len_ = 0;
  uint32_t table_crc_ = 0, sparse_crc_ = 0, meta_crc_ = 0, count_ = 0, dict_count_ = 0;
  uint64_t first_ = 0, last_ = 0;
};

Status Reader::ParseFooter(std::string_view f) {
  if (std::memcmp(f.data() + in::kFooterMagic, in::kMagic, sizeof in::kMagic) != 0) {
    return Corrupt("footer: bad magic (not a sealed segment, or cut short)");
  }
  if (verify_ &&
      MaskedCrc(f.substr(0, in::kFooterCrc)) != DecodeFixed32(f.data() + in::kFooterCrc)) {
    return Corrupt("footer: CRC mismatch");
  }
  const char* p = f.data();
  const uint32_t version = DecodeFixed32(p + in::kFooterVersion);
  if (version != in::kFormatVersion) {
    return Corrupt("footer: unknown format version " + std::to_string(version));
  }
  dict_off_ = DecodeFixed64(p + in::kFooterDictOffset);
  dict_len_ = DecodeFixed64(p + in::kFooterDictLen);
  table_off_ = DecodeFixed64(p + in::kFooterTableOffset);
  table_len_ = DecodeFixed64(p + in::kFooterTableLen);
  sparse_off_ = DecodeFixed64(p + in::kFooterSparseOffset);
  sparse_len_ = DecodeFixed64(p + in::kFooterSparseLen);
  meta_off_ = DecodeFixed64(p + in::kFooterMetaOffset);
  meta_len_ = DecodeFixed64(p + in::kFooterMetaLen);
  table_crc_ = DecodeFixed32(p + in::kFooterTableCrc);
  sparse_crc_ = DecodeFixed32(p + in::kFooterSparseCrc);
  meta_crc_ = DecodeFixed32(p + in::kFooterMetaCrc);
  count_ = DecodeFixed32(p + in::kFooterBlockCount);
  dict_count_ = DecodeFixed32(p + in::kFooterDictBlockCount);
  key_count_ = DecodeFixed64(p + in::kFooterKeyCount);
  first_ = DecodeFixed64(p + in::kFooterFirstSeq);
  last_ = DecodeFixed64(p + in::kFooterLastSeq);
  zdict_len_ = DecodeFixed32(p + in::kFooterZdictLen);
  zdict_crc_ = DecodeFixed32(p + in::kFooterZdictCrc);
  const uint64_t footer_off = file_size_ - in::kFooterSize;
  // The sections tile [header end, footer) in this order, with nothing between them.
  auto fits = [&](uint64_t off, uint64_t len, uint64_t next) {
    return off <= footer_off && len <= footer_off - off && off + len == next;
  };
  if (zdict_len_ > in::kMaxZdictSize ||
      dict_off_ < in::kHeaderSize + uint64_t{zdict_len_} + count_ ||
      !fits(dict_off_, dict_len_, table_off_) || !fits(table_off_, table_len_, sparse_off_) ||
      !fits(sparse_off_, sparse_len_, meta_off_) || !fits(meta_off_, meta_len_, footer_off)) {
    return Corrupt("footer: section offsets do not fit the file");
  }
  if (count_ == 0 || table_len_ != uint64_t{count_} * in::kTableEntrySize) {
    return Corrupt("footer: block count does not match the block table");
  }
  if (first_ == 0 || last_ < first_ || last_ - first_ + 1 < count_) {
    return Corrupt("footer: bad sequence range");
  }
  if ((dict_count_ == 0) != (dict_len_ == 0) || dict_count_ > dict_len_) {
    return Corrupt("footer: dictionary block count does not match the dictionary");
  }
  return Status::Ok();
}

Status Reader::ParseHeader(std::string_view h) {
  if (std::memcmp(h.data(), in::kMagic, sizeof in::kMagic) != 0)
    return Corrupt("header: bad magic");
  if (verify_ && MaskedCrc(h.substr(0, in::kHeaderCrcOffset)) !=
                     DecodeFixed32(h.data() + in::kHeaderCrcOffset)) {
    return Corrupt("header: CRC mismatch");
  }
  if (DecodeFixed32(h.data() + in::kHeaderVersionOffset) != in::kFormatVersion ||
      DecodeFixed32(h.data() + in::kHeaderSizeOffset) != in::kHeaderSize ||
      DecodeFixed64(h.data() + in::kHeaderFirstSeqOffset) != first_) {
    return Corrupt("header: does not match the footer");
  }
  return Status::Ok();
}

Status Reader::ParseTable(std::string_view t) {
  if (verify_ && MaskedCrc(t) != table_crc_) return Corrupt("block table: CRC mismatch");
  blocks_.resize(count_);
  locs_.resize(count_);
  uint64_t next_seq = first_;
  uint64_t next_off = in::kHeaderSize + zdict_len_;
  for (uint32_t i = 0; i < count_; ++i) {
    const char* e = t.data() + uint64_t{i} * in::kTableEntrySize;
    BlockInfo& b = blocks_[i];
    BlockLoc& l = locs_[i];
    b.first = SeqNo{DecodeFixed64(e + in::kEntryFirstSeq)};
    b.count = DecodeFixed32(e + in::kEntryCount);
    b.min_timestamp_ns = static_cast<int64_t>(DecodeFixed64(e + in::kEntryMinTs));
    b.max_timestamp_ns = static_cast<int64_t>(DecodeFixed64(e + in::kEntryMaxTs));
    b.min_received_ns = static_cast<int64_t>(DecodeFixed64(e + in::kEntryMinRecv));
    b.max_received_ns = static_cast<int64_t>(DecodeFixed64(e + in::kEntryMaxRecv));
    l.offset = DecodeFixed64(e + in::kEntryOffset);
    l.stored_len = DecodeFixed32(e + in::kEntryStoredLen);
    l.body_len = DecodeFixed32(e + in::kEntryBodyLen);
    l.crc = DecodeFixed32(e + in::kEntryCrc);
    auto what = [i] { return "block table entry " + std::to_string(i); };
    if (b.first.value != next_seq || b.count == 0 || b.count > last_ - next_seq + 1) {
      return Corrupt(what() + ": sequence numbers do not continue");
    }
    if (l.offset != next_off || l.stored_len == 0 || l.stored_len > dict_off_ - next_off ||
        l.body_len >= in::kMaxBodyLen) {
      return Corrupt(what() + ": bad offset or length");
    }
    next_seq += b.count;
    next_off += l.stored_len;
  }
  if (next_seq != last_ + 1) return Corrupt("block table: does not cover the sequence range");
  if (next_off != dict_off_) return Corrupt("block table: blocks do not end at the dictionary");
  return Status::Ok();
}

Status Reader::ParseSparse(std::string_view stored) {
  if (verify_ && MaskedCrc(stored) != sparse_crc_) return Corrupt("sparse index: CRC mismatch");
  std::string body;
  if (!in::UnpackSection(stored, &body)) return Corrupt("sparse index: does not unpack");
  sparse_bytes_ = body.size();
  in::Cursor c(body);
  uint64_t n = 0;
  if (!c.Varint(&n) || n != dict_count_) {
    return Corrupt("sparse index: block count does not match the footer");
  }
  // An entry takes at least 8 bytes; a damaged count fails here rather than in reserve().
  if (n > c.remaining() / 8) return Corrupt("sparse index: cut short");
  dict_.resize(n);
  uint64_t off = dict_off_;
  std::string prev;
  for (uint64_t i = 0; i < n; ++i) {
    DictRef& d = dict_[i];
    uint64_t shared = 0, stored_len = 0, body_len = 0;
    std::string_view suffix, crc;
    uint8_t codec = 0;
    if (!c.Varint(&shared) || shared > prev.size() || !c.LenBytes(&suffix) ||
        !c.Varint(&stored_len) || !c.Varint(&body_len) || !c.Byte(&codec) || !c.Bytes(4, &crc)) {
      return Corrupt("sparse index: entry " + std::to_string(i) + " is damaged");
    }
    d.first_key.assign(prev, 0, shared);
    d.first_key.append(suffix);
    if (i > 0 && d.first_key <= prev) {
      return Corrupt("sparse index: keys out of order at entry " + std::to_string(i));
    }
    if (stored_len == 0 || stored_len > dict_off_ + dict_len_ - off ||
        body_len >= in::kMaxBodyLen || (codec != in::kCodecRaw && codec != in::kCodecZstd)) {
      return Corrupt("sparse index: entry " + std::to_string(i) + " has a bad length");
    }
    d.offset = off;
    d.stored_len = static_cast<uint32_t>(stored_len);
    d.body_len = static_cast<uint32_t>(body_len);
    d.codec = codec;
    d.crc = DecodeFixed32(crc.data());
    off += stored_len;
    prev = d.first_key;
    sparse_bytes_ += d.first_key.size() + sizeof(DictRef);
  }
  if (!c.AtEnd()) return Corrupt("sparse index: bytes after the last entry");
  if (off != dict_off_ + dict_len_) return Corrupt("sparse index: does not cover the dictionary");
  return Status::Ok();
}

Status Reader::ParseMeta(std::string_view stored) {
  if (verify_ && MaskedCrc(stored) != meta_crc_) return Corrupt("meta: CRC mismatch");
  std::string body;
  if (!in::UnpackSection(stored, &body) || !in::DecodeMeta(body, &meta_, load_sources_)) {
    return Corrupt("meta: damaged");
  }
  if (meta_.first.value != first_ || meta_.last.value != last_) {
    return Corrupt("meta: sequence range does not match the footer");
  }
  return Status::Ok();
}

Status Reader::Load() {
  auto size = file_->Size();
  if (!size.ok()) return size.status();
  file_size_ = *size;
  if (file_size_ < in::kHeaderSize + in::kFooterSize) {
    return Corrupt("file of " + std::to_string(file_size_) + " bytes is too short");
  }
  // Speculatively read the end of the file: for most segments the footer and the sections
  // before it are all in it.
  const uint64_t tail_len = std::min<uint64_t>(file_size_, kSpeculativeTail);
  std::string tail;
  KIROKU_RETURN_IF_ERROR(ReadExact(file_size_ - tail_len, tail_len, &tail, "footer"));
  KIROKU_RETURN_IF_ERROR(
      ParseFooter(std::string_view(tail).substr(tail_len - in::kFooterSize, in::kFooterSize)));
  std::string head;
  if (tail_len == file_size_) {
    head = tail.substr(0, in::kHeaderSize);
  } else {
    KIROKU_RETURN_IF_ERROR(ReadExact(0, in::kHeaderSize, &head, "header"));
  }
  KIROKU_RETURN_IF_ERROR(ParseHeader(head));
  const uint64_t tail_start = file_size_ - tail_len;
  std::string sections;
  std::string_view sv;
  if (table_off_ >= tail_start) {
    sv = std::string_view(tail).substr(table_off_ - tail_start,
                                       file_size_ - in::kFooterSize - table_off_);
  } else {
    KIROKU_RETURN_IF_ERROR(
        ReadExact(table_off_, file_size_ - in::kFooterSize - table_off_, &sections, "block table"));
    sv = sections;
  }
  KIROKU_RETURN_IF_ERROR(ParseTable(sv.substr(0, table_len_)));
  KIROKU_RETURN_IF_ERROR(ParseSparse(sv.substr(table_len_, sparse_len_)));
  KIROKU_RETURN_IF_ERROR(ParseMeta(sv.substr(table_len_ + sparse_len_, meta_len_)));
  return Status::Ok();
}

}  // namespace

StatusOr<std::unique_ptr<SealedSegment>> SealedSegment::Open(Fs& fs, const std::string& path) {
  return Open(fs, path, OpenOptions{});
}

StatusOr<std::unique_ptr<SealedSegment>> SealedSegment::Open(Fs& fs, const std::string& path,
                                                             const OpenOptions& options) {
  auto file = fs.OpenReadable(path);
  if (!file.ok()) return file.status();
  auto r = std::make_unique<Reader>(path, std::move(*file), options);
  KIROKU_RETURN_IF_ERROR(r->Load());
  return std::unique_ptr<SealedSegment>(std::move(r));
}

}  // namespace kiroku::segment

#include "sealer/seal_segment.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <functional>
#include <limits>
#include <unordered_map>
#include <vector>

#include "index/enrichment.h"
#include "index/terms.h"
#include "integrity/frontier.h"
#include "integrity/leaf.h"
#include "query/fields.h"
#include "segment/segment_files.h"
#include "segment/segment_writer.h"
#include "store/journal_format.h"
#include "store/record_codec.h"
#include "store/segment_header.h"
#include "store/segment_reader.h"

namespace kiroku::sealer {
namespace {

namespace j = store::journal;
using FrameFn = std::function<Status(const RecordView& r, std::string_view payload)>;

// Every frame of a closed journal segment, checked: whole, CRC good, decodable, seqs dense from
// `first` to next_first - 1. Anything else is kDataLoss naming the file and offset.
Status ForEachRecord(Fs& fs, const store::SegmentInfo& seg, SeqNo next_first, const FrameFn& fn,
                     uint64_t* file_size) {
  auto file = fs.OpenReadable(seg.path);
  if (!file.ok()) return file.status();
  auto size = (*file)->Size();
  if (!size.ok()) return size.status();
  *file_size = *size;
  std::string header(j::kFileHeaderSize, '\0');
  auto got = (*file)->Read(0, header.size(), header.data());
  if (!got.ok()) return got.status();
  store::SegmentHeader h;
  if (*got != header.size()) {
    return Status::DataLoss(seg.path + ": shorter than a segment header");
  }
  if (Status s = store::DecodeSegmentHeader(header, &h); !s.ok()) {
    return Status::DataLoss(seg.path + ": segment header: " + s.message());
  }
  if (h.first_seq != seg.first) {
    return Status::DataLoss(seg.path + ": header says first seq " +
                            std::to_string(h.first_seq.value));
  }
  store::SegmentReader reader(**file, *size, j::kFileHeaderSize);
  uint64_t expect = seg.first.value;
  while (true) {
    const auto kind = reader.Next();
    if (kind == store::SegmentReader::Kind::kEnd) break;
    if (kind == store::SegmentReader::Kind::kIoError) return reader.io_status();
    if (kind != store::SegmentReader::Kind::kFrame) {
      return Status::DataLoss(seg.path + ": offset " + std::to_string(reader.offset()) + ": " +
                              (kind == store::SegmentReader::Kind::kIncomplete
                                   ? std::string("incomplete frame in a closed segment")
                                   : reader.why()));
    }
    RecordView r;
    if (Status d = store::DecodeRecord(reader.payload(), &r); !d.ok()) {
      return Status::DataLoss(seg.path + ": offset " + std::to_string(reader.offset()) +
                              ": undecodable record: " + d.message());
    }
    if (r.seq.value != expect) {
      return Status::DataLoss(seg.path + ": offset " + std::to_string(reader.offset()) + ": seq " +
                              std::to_string(r.seq.value) + " where " + std::to_string(expect) +
                              " was due");
    }
    KIROKU_RETURN_IF_ERROR(fn(r, reader.payload()));
    ++expect;
  }
  if (expect != next_first.value) {
    return Status::DataLoss(seg.path + ": ends at seq " + std::to_string(expect - 1) +
                            " but the next segment begins at " + std::to_string(next_first.value));
  }
  return Status::Ok();
}

// One block's records until it is handed to the writer: the payload and extra bytes are copied
// into two buffers (the reader's buffer moves on), views are made at Flush.
class BlockBuilder {
 public:
  bool empty() const { return ends_.empty(); }

  void Add(const RecordView& r, std::string_view payload, std::string_view extra) {
    payloads_.append(payload);
    extras_.append(extra);
    ends_.push_back({payloads_.size(), extras_.size()});
    any_extra_ = any_extra_ || !extra.empty();
    const int64_t ts = query::TimestampNs(r);
    if (ends_.size() == 1) {
      in_.min_timestamp_ns = in_.max_timestamp_ns = ts;
      in_.min_received_ns = in_.max_received_ns = r.receive_time_ns;
    } else {
      in_.min_timestamp_ns = std::min(in_.min_timestamp_ns, ts);
      in_.max_timestamp_ns = std::max(in_.max_timestamp_ns, ts);
      in_.min_received_ns = std::min(in_.min_received_ns, r.receive_time_ns);
      in_.max_received_ns = std::max(in_.max_received_ns, r.receive_time_ns);
    }
  }
  index::TermCollector& terms() { return terms_; }

  // The block, valid until Clear().
  const segment::BlockInput& Build() {
    in_.payloads.clear();
    in_.extras.clear();
    size_t p = 0, e = 0;
    for (const auto& [pe, ee] : ends_) {
      in_.payloads.emplace_back(payloads_.data() + p, pe - p);
      if (any_extra_) in_.extras.emplace_back(extras_.data() + e, ee - e);
      p = pe;
      e = ee;
    }
    in_.terms = terms_.Take();
    return in_;
  }
  void Clear() {
    payloads_.clear();
    extras_.clear();
    ends_.clear();
    any_extra_ = false;
    in_.terms.clear();
  }

 private:
  std::string payloads_;
  std::string extras_;
  std::vector<std::pair<size_t, size_t>> ends_;
  bool any_extra_ = false;
  index::TermCollector terms_;
  segment::BlockInput in_;
};

// Sources by host name and peer address, keyed without allocating per record.
class SourceCounter {
 public:
  void Add(const RecordView& r) {
    key_.assign(r.Field(r.header.host));
    key_.push_back('\0');
    key_.push_back(static_cast<char>(r.peer.family));
    if (r.peer.family != 0) {
      key_.append(reinterpret_cast<const char*>(r.peer.addr.data()), r.peer.addr.size());
    }
    auto it = counts_.find(key_);
    if (it == counts_.end()) {
      segment::SourceCount c;
      c.host = std::string(r.Field(r.header.host));
      c.address = r.peer.family != 0 ? r.peer.AddressString() : std::string();
      c.first_received_ns = c.last_received_ns = r.receive_time_ns;
      it = counts_.emplace(key_, std::move(c)).first;
    }
    segment::SourceCount& c = it->second;
    ++c.records;
    c.first_received_ns = std::min(c.first_received_ns, r.receive_time_ns);
    c.last_received_ns = std::max(c.last_received_ns, r.receive_time_ns);
  }
  std::vector<segment::SourceCount> Take() {
    std::vector<segment::SourceCount> out;
    out.reserve(counts_.size());
    for (auto& [k, c] : counts_) out.push_back(std::move(c));
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
      return std::tie(a.host, a.address) < std::tie(b.host, b.address);
    });
    counts_.clear();
    return out;
  }

 private:
  std::string key_;
  std::unordered_map<std::string, segment::SourceCount> counts_;
};

}  // namespace

SegmentSealer::SegmentSealer(Fs& fs, const Clock& clock, const SealerOptions& options,
                             std::unique_ptr<normalize::Normalizer> normalizer,
                             std::string index_info)
    : fs_(fs),
      clock_(clock),
      options_(options),
      normalizer_(std::move(normalizer)),
      correlator_(normalizer_->NewCorrelator()),
      index_info_(std::move(index_info)) {}

StatusOr<SealResult> SegmentSealer::Seal(const store::SegmentInfo& seg, SeqNo next_first,
                                         const std::atomic<bool>* stop) {
  const normalize::Normalizer& n = *normalizer_;
  normalize::Event plain;
  normalize::Event correlated;
  uint64_t size = 0;

  // Pass 1: check every frame, and show the correlated formats to the correlator.
  uint64_t records = 0;
  KIROKU_RETURN_IF_ERROR(ForEachRecord(
      fs_, seg, next_first,
      [&](const RecordView& r, std::string_view) {
        ++records;
        if (n.MayCorrelate(r)) {
          n.Normalize(r, &plain);
          correlator_->Observe(r, plain);
        }
        return Status::Ok();
      },
      &size));
  SealResult result;
  result.first = seg.first;
  result.last = SeqNo{next_first.value - 1};
  result.records = records;
  result.journal_bytes = size;
  if (records == 0) return result;  // nothing to seal; the caller just removes it

  // Pass 2: normalise, enrich, index, hash, write blocks.
  const std::string dir = JoinPath(options_.data_dir, segment::kSegmentsDirName);
  KIROKU_RETURN_IF_ERROR(fs_.CreateDirs(dir));
  segment::SegmentWriterOptions wopts;
  wopts.zstd_level = options_.zstd_level;
  auto writer = segment::SegmentWriter::Create(fs_, dir, seg.first, wopts);
  if (!writer.ok()) return writer.status();
  segment::SegmentWriter& w = **writer;

  segment::SegmentMeta meta;
  meta.first = seg.first;
  meta.last = result.last;
  meta.min_timestamp_ns = meta.min_received_ns = std::numeric_limits<int64_t>::max();
  meta.max_timestamp_ns = meta.max_received_ns = std::numeric_limits<int64_t>::min();
  integrity::Frontier leaves;
  std::string scratch;
  SourceCounter sources;
  BlockBuilder block;
  const uint64_t per_block = std::max<uint32_t>(options_.block_records, 1);

  auto flush = [&]() -> Status {
    if (block.empty()) return Status::Ok();
    if (stop != nullptr && stop->load()) return Status::Unavailable("sealer stopping");
    const segment::BlockInput& in = block.Build();
    meta.min_timestamp_ns = std::min(meta.min_timestamp_ns, in.min_timestamp_ns);
    meta.max_timestamp_ns = std::max(meta.max_timestamp_ns, in.max_timestamp_ns);
    meta.min_received_ns = std::min(meta.min_received_ns, in.min_received_ns);
    meta.max_received_ns = std::max(meta.max_received_ns, in.max_received_ns);
    Status s = w.AddBlock(in);
    block.Clear();
    return s;
  };

  uint64_t unused = 0;
  Status pass2 = ForEachRecord(
      fs_, seg, next_first,
      [&](const RecordView& r, std::string_view payload) -> Status {
        n.Normalize(r, &plain);
        correlated = plain;
        correlator_->Enrich(r, &correlated);
        const std::string extra = index::EncodeEnrichment(plain, correlated);
        index::AppendRecordTerms(r, &correlated, &block.terms());
        block.Add(r, payload, extra);
        leaves.Append(integrity::LeafHashOf(r, &scratch));
        sources.Add(r);
        if (r.seq.value % per_block == 0) return flush();
        return Status::Ok();
      },
      &unused);
  if (pass2.ok()) pass2 = flush();
  if (pass2.ok()) {
    meta.sealed_at_ns = clock_.NowNs();
    meta.leaves_root = std::string(leaves.Root().View());
    meta.sources = sources.Take();
    meta.index_info = index_info_;
    pass2 = w.Finish(meta);
  }
  if (!pass2.ok()) {
    w.Abandon();
    return pass2;
  }
  result.sealed_path = JoinPath(dir, segment::SealedFileName(meta.first, meta.last));
  auto sealed_size = fs_.FileSize(result.sealed_path);
  result.sealed_bytes = sealed_size.ok() ? *sealed_size : 0;
  return result;
}

StatusOr<std::unique_ptr<SegmentSealer>> MakeSegmentSealer(Fs& fs, const Clock& clock,
                                                           const SealerOptions& options) {
  StatusOr<std::string> index_info = index::DataDirIndexInfo(fs, options.data_dir);
  if (!index_info.ok()) return index_info.status();
  StatusOr<std::unique_ptr<normalize::Normalizer>> n =
      normalize::LoadNormalizer(fs, options.data_dir);
  if (!n.ok()) return n.status();
  return std::make_unique<SegmentSealer>(fs, clock, options, std::move(*n), std::move(*index_info));
}

}  // namespace kiroku::sealer

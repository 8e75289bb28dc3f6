#include "store/journal_reader.h"

#include <algorithm>
#include <memory>

#include "store/journal_files.h"
#include "store/journal_format.h"
#include "store/record_codec.h"
#include "store/segment_header.h"
#include "store/segment_reader.h"

namespace kiroku::store {
namespace {

namespace j = journal;

// Scans one segment; state that spans segments lives here.
class Scanner {
 public:
  Scanner(const ScanOptions& options, const std::function<bool(const RecordView&)>& fn,
          ScanStats* stats)
      : options_(options), fn_(fn), stats_(stats) {}

  // False when the callback asked to stop.
  bool ScanSegment(Fs& fs, const SegmentInfo& seg, bool newest);

 private:
  void Problem(const std::string& path, uint64_t offset, const std::string& what) {
    stats_->problems.push_back(path + ": offset " + std::to_string(offset) + ": " + what);
  }
  // False when the callback asked to stop.
  bool Deliver(const std::string& path, uint64_t offset, std::string_view payload);

  const ScanOptions& options_;
  const std::function<bool(const RecordView&)>& fn_;
  ScanStats* stats_;
  uint64_t last_seq_ = 0;  // highest seq seen in a valid frame so far
};

bool Scanner::ScanSegment(Fs& fs, const SegmentInfo& seg, bool newest) {
  auto file = fs.OpenReadable(seg.path);
  if (!file.ok()) {
    // A segment that vanished after listing was sealed and removed: its records live on in
    // sealed storage, so this is not damage.
    if (file.status().code() != Status::Code::kNotFound) {
      Problem(seg.path, 0, "cannot open: " + file.status().ToString());
    }
    return true;
  }
  auto size = (*file)->Size();
  if (!size.ok()) {
    Problem(seg.path, 0, "cannot stat: " + size.status().ToString());
    return true;
  }
  ++stats_->segments;
  if (*size < j::kFileHeaderSize) {
    // The newest segment is being created; any other is damaged.
    if (!newest) {
      Problem(seg.path, 0, "file of " + std::to_string(*size) + " bytes has no whole header");
      stats_->bytes_skipped += *size;
    }
    return true;
  }
  std::string head(j::kFileHeaderSize, '\0');
  auto got = (*file)->Read(0, head.size(), head.data());
  if (!got.ok() || *got != head.size()) {
    Problem(seg.path, 0, "cannot read header");
    return true;
  }
  SegmentHeader header;
  Status hs = DecodeSegmentHeader(head, &header);
  if (hs.code() == Status::Code::kInvalidArgument) {
    Problem(seg.path, 0, hs.message() + "; segment not read");
    return true;
  }
  if (!hs.ok()) {
    // Frames are self-describing, so a damaged header costs only the header.
    Problem(seg.path, 0, "damaged header (" + hs.message() + "); reading frames anyway");
  } else if (header.first_seq != seg.first) {
    Problem(seg.path, 0, "header says first seq " + std::to_string(header.first_seq.value));
  }
  if (last_seq_ == 0 && seg.first.value > 0) last_seq_ = seg.first.value - 1;

  SegmentReader reader(**file, *size, j::kFileHeaderSize);
  while (true) {
    switch (reader.Next()) {
      case SegmentReader::Kind::kFrame:
        if (!Deliver(seg.path, reader.offset(), reader.payload())) return false;
        continue;
      case SegmentReader::Kind::kEnd:
        return true;
      case SegmentReader::Kind::kIoError:
        Problem(seg.path, reader.offset(), reader.io_status().ToString());
        return true;
      case SegmentReader::Kind::kIncomplete:
        // At the end of the newest segment this is the server's write in progress: we see a
        // prefix of the journal, which is all a concurrent reader is promised.
        if (newest) return true;
        [[fallthrough]];
      case SegmentReader::Kind::kBad: {
        uint64_t from = reader.offset();
        std::string why = reader.why();
        uint64_t to = reader.Resync();
        stats_->bytes_skipped += to - from;
        Problem(seg.path, from,
                why + "; skipped " + std::to_string(to - from) + " bytes" +
                    (to == reader.size() ? " to the end" : " to the next valid frame"));
        continue;
      }
    }
  }
}

bool Scanner::Deliver(const std::string& path, uint64_t offset, std::string_view payload) {
  const uint8_t type = PayloadType(payload);
  if (type != static_cast<uint8_t>(j::RecordType::kSyslog) ||
      PayloadVersion(payload) != j::kSyslogRecordVersion) {
    Problem(path, offset,
            "record type " + std::to_string(type) + " version " +
                std::to_string(PayloadVersion(payload)) + " is not known to this kiroku");
    last_seq_ = std::max(last_seq_, PayloadSeq(payload).value);
    return true;
  }
  RecordView r;
  if (Status s = DecodeRecord(payload, &r); !s.ok()) {
    Problem(path, offset, "undecodable record with a valid CRC: " + s.message());
    stats_->bytes_skipped += j::kFrameHeaderSize + payload.size();
    return true;
  }
  if (r.seq.value <= last_seq_) {
    // Order is what the Merkle tree and every consumer rely on; a record out of order is
    // not evidence we can place, so it is reported, not delivered.
    Problem(path, offset,
            "seq " + std::to_string(r.seq.value) + " after " + std::to_string(last_seq_) +
                "; record not delivered");
    return true;
  }
  if (r.seq.value != last_seq_ + 1) {
    Problem(path, offset,
            "seq gap: expected " + std::to_string(last_seq_ + 1) + ", found " +
                std::to_string(r.seq.value));
  }
  last_seq_ = r.seq.value;
  if (r.seq < options_.min_seq) return true;
  ++stats_->records;
  return fn_(r);
}

}  // namespace

Status ScanJournal(Fs& fs, const std::string& journal_dir, const ScanOptions& options,
                   const std::function<bool(const RecordView&)>& fn, ScanStats* stats) {
  ScanStats local;
  if (stats == nullptr) stats = &local;
  auto segs = ListSegments(fs, journal_dir);
  if (!segs.ok()) return segs.status();
  Scanner scanner(options, fn, stats);
  for (size_t i = 0; i < segs->size(); ++i) {
    // Segment i holds only seqs below segment i+1's name.
    if (i + 1 < segs->size() && (*segs)[i + 1].first <= options.min_seq) continue;
    if (!scanner.ScanSegment(fs, (*segs)[i], i + 1 == segs->size())) break;
  }
  return Status::Ok();
}

}  // namespace kiroku::store

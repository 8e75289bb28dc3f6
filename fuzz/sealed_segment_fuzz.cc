// Fuzzes the sealed segment reader: the input (after one option byte) is a segment file,
// served from memory. Open, then Lookup, ScanRange and ReadBlock everything, must return
// Corruption (or succeed) and never crash or read out of bounds. Option bit 0 turns the CRC
// checks off so the parsers behind them are reached too; opening without the source list
// must agree with opening with it; seeds in
// fuzz/corpus/sealed_segment_fuzz/ are small valid segments.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "common/fs.h"
#include "segment/sealed_segment.h"

namespace {

using kiroku::Fs;
using kiroku::RandomAccessFile;
using kiroku::Status;
using kiroku::StatusOr;
using kiroku::WritableFile;

// One read-only file held in memory.
class MemFile final : public RandomAccessFile {
 public:
  explicit MemFile(std::string_view bytes) : bytes_(bytes) {}
  StatusOr<size_t> Read(uint64_t offset, size_t n, char* buf) const override {
    if (offset >= bytes_.size()) return size_t{0};
    size_t k = std::min<uint64_t>(n, bytes_.size() - offset);
    std::memcpy(buf, bytes_.data() + offset, k);
    return k;
  }
  StatusOr<uint64_t> Size() const override { return uint64_t{bytes_.size()}; }

 private:
  std::string_view bytes_;
};

class MemFs final : public Fs {
 public:
  MemFs(std::string path, std::string_view bytes) : path_(std::move(path)), bytes_(bytes) {}
  Status CreateDirs(const std::string&) override { return Status::Unavailable("read-only"); }
  StatusOr<std::vector<std::string>> ListDir(const std::string&) override {
    return std::vector<std::string>{path_};
  }
  StatusOr<uint64_t> FileSize(const std::string& path) override {
    if (path != path_) return Status::NotFound(path);
    return uint64_t{bytes_.size()};
  }
  StatusOr<std::unique_ptr<WritableFile>> OpenAppendable(const std::string&) override {
    return Status::Unavailable("read-only");
  }
  StatusOr<std::unique_ptr<RandomAccessFile>> OpenReadable(const std::string& path) override {
    if (path != path_) return Status::NotFound(path);
    return std::unique_ptr<RandomAccessFile>(new MemFile(bytes_));
  }
  Status Rename(const std::string&, const std::string&) override {
    return Status::Unavailable("read-only");
  }
  Status SyncDir(const std::string&) override { return Status::Ok(); }
  Status Remove(const std::string&) override { return Status::Unavailable("read-only"); }

 private:
  std::string path_;
  std::string_view bytes_;
};

void Check(const Status& s) {
  if (!s.ok() && s.code() != Status::Code::kCorruption) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  kiroku::segment::OpenOptions options;
  options.verify_checksums = (data[0] & 1) == 0;
  std::string_view file(reinterpret_cast<const char*>(data) + 1, size - 1);
  MemFs fs("/seg/x.seg", file);
  auto seg = kiroku::segment::SealedSegment::Open(fs, "/seg/x.seg", options);
  // A search opens without the source list (bit 1 of the option byte picks it): the same
  // answer either way, only meta().sources is empty.
  kiroku::segment::OpenOptions lean = options;
  lean.load_sources = false;
  auto without = kiroku::segment::SealedSegment::Open(fs, "/seg/x.seg", lean);
  if (seg.ok() != without.ok()) std::abort();
  if (!seg.ok()) {
    Check(seg.status());
    Check(without.status());
    return 0;
  }
  if (!(*without)->meta().sources.empty() ||
      (*without)->meta().index_info != (*seg)->meta().index_info ||
      (*without)->block_count() != (*seg)->block_count()) {
    std::abort();
  }
  if ((data[0] & 2) != 0) seg = std::move(without);
  const auto& s = **seg;
  if (s.meta().first > s.meta().last || s.block_count() == 0) std::abort();
  std::vector<std::string> keys;
  Check(s.ScanRange("", std::string(4, '\xff'),
                    [&](std::string_view key, const kiroku::segment::BlockSet& blocks) {
                      if (blocks.Empty()) std::abort();
                      blocks.ForEach([&](uint32_t b) {
                        if (b >= s.block_count()) std::abort();
                        return true;
                      });
                      if (keys.size() < 64) keys.emplace_back(key);
                      return true;
                    }));
  keys.emplace_back("");
  keys.emplace_back("message");
  for (const std::string& k : keys) {
    kiroku::segment::BlockSet out;
    Check(s.Lookup(k, &out));
    Check(s.ScanRange(k, k + "\xff", [](std::string_view, const auto&) { return true; }));
  }
  for (uint32_t i = 0; i < s.block_count(); ++i) {
    if (s.BlockOf(s.block(i).first) != i) std::abort();
    kiroku::segment::DecodedBlock b;
    Status st = s.ReadBlock(i, &b);
    Check(st);
    if (st.ok() &&
        (b.payloads.size() != s.block(i).count || b.extras.size() != b.payloads.size())) {
      std::abort();
    }
  }
  return 0;
}

// Helpers shared by the store tests: records with every field set, owned copies of scanned
// records, and writing raw segment files. Tests only.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include "common/fs.h"
#include "common/record.h"
#include "store/committer.h"
#include "store/journal_files.h"
#include "store/journal_reader.h"
#include "store/record_codec.h"
#include "store/segment_header.h"

namespace kiroku::store::testing {

// A RecordView over `raw` with every field set to something distinctive.
inline RecordView SampleView(std::string_view raw, int64_t t = 1'700'000'000'123'456'789) {
  RecordView r;
  r.receive_time_ns = t;
  r.transport = Transport::kTls;
  r.peer.family = 4;
  r.peer.addr = {192, 0, 2, 7};
  r.peer.port = 51514;
  r.flags = kFlagFramingError;
  r.original_length = static_cast<uint32_t>(raw.size());
  r.header.format = SyslogFormat::kRfc5424;
  r.header.facility = 4;
  r.header.severity = 2;
  r.header.device_time_ns = t - 5'000'000'000;
  r.header.device_time_zone_known = true;
  r.header.parse_error = false;
  uint32_t n = static_cast<uint32_t>(raw.size());
  r.header.host = Span{0, n / 4};
  r.header.app = Span{n / 4, n / 8};
  r.header.msg = Span{n / 2, n - n / 2};
  r.raw = raw;
  return r;
}

// Counts events (callbacks) and waits for a number of them with a deadline, never a sleep.
class Latch {
 public:
  void Add(int n = 1) {
    std::lock_guard lock(mu_);
    count_ += n;
    cv_.notify_all();
  }
  bool WaitFor(int n, std::chrono::seconds timeout = std::chrono::seconds(30)) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return count_ >= n; });
  }
  int count() {
    std::lock_guard lock(mu_);
    return count_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int count_ = 0;
};

// A scanned record with its bytes copied out of the reader's buffer.
struct Owned {
  RecordView view;
  std::string raw;
};

inline std::vector<Owned> ScanAll(Fs& fs, const std::string& dir, ScanStats* stats = nullptr,
                                  ScanOptions options = {}) {
  std::vector<Owned> out;
  Status s = ScanJournal(
      fs, dir, options,
      [&](const RecordView& r) {
        out.push_back({r, std::string(r.raw)});
        return true;
      },
      stats);
  EXPECT_TRUE(s.ok()) << s.ToString();
  for (Owned& o : out) o.view.raw = o.raw;
  return out;
}

// One sealed frame for `raw` with sequence number `seq`.
inline std::string Frame(uint64_t seq, std::string_view raw) {
  std::string f;
  AppendFrame(SampleView(raw), &f);
  SealFrames(f.data(), f.size(), SeqNo{seq});
  return f;
}

// A whole segment: header plus frames for `raws`, numbered from `first`.
inline std::string SegmentBytes(uint64_t first, const std::vector<std::string>& raws) {
  std::string s = EncodeSegmentHeader({SeqNo{first}, 1'700'000'000'000'000'000});
  for (size_t i = 0; i < raws.size(); ++i) s += Frame(first + i, raws[i]);
  return s;
}

inline void WriteFile(const std::string& path, std::string_view bytes) {
  ASSERT_TRUE(PosixFs::Default().WriteFileAtomic(path, bytes).ok()) << path;
}

inline std::string ReadFile(const std::string& path) {
  auto s = PosixFs::Default().ReadFile(path);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? *s : std::string();
}

inline std::vector<std::string> Numbered(const std::string& prefix, int n, size_t pad = 0) {
  std::vector<std::string> v;
  for (int i = 0; i < n; ++i) v.push_back(prefix + std::to_string(i) + std::string(pad, '.'));
  return v;
}

}  // namespace kiroku::store::testing

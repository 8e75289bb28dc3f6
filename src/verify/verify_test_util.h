// TestLog: builds a kiroku data directory (journal, tiles, signed heads, keys) in a temporary
// directory with the real libraries, a FakeClock and a fake clock-sync source, and tampers
// with it the ways an attacker would. Tests only.
//
//   testing::TempDir tmp;
//   TestLog log(tmp.path());
//   log.Add(300);          // records received "now"
//   log.SignHead();        // a head over all of them
//   log.Write();           // journal + tiles + heads on disk
//   log.DeleteRecord(17);  // then Verify() and look for "missing"
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/fs.h"
#include "common/record.h"
#include "integrity/frontier.h"
#include "integrity/leaf.h"
#include "integrity/signing/clock_sync.h"
#include "integrity/signing/head_signer.h"
#include "integrity/signing/head_store.h"
#include "integrity/signing/key_state.h"
#include "integrity/tile_store.h"
#include "store/internal/coding.h"
#include "store/journal_files.h"
#include "store/journal_format.h"
#include "store/record_codec.h"
#include "store/segment_header.h"

namespace kiroku::verify::testing {

namespace sig = integrity::signing;

inline constexpr int64_t kT0 = 1'767'225'600'000'000'000;  // 2026-01-01T00:00:00Z
inline constexpr int64_t kSecond = 1'000'000'000;
inline constexpr uint32_t kEpochSeconds = 3600;

class TestLog {
 public:
  explicit TestLog(std::string dir) : dir_(std::move(dir)), clock_(kT0 + kSecond) {
    sig::KeyInitParams params;
    params.epoch_seconds = kEpochSeconds;
    params.horizon_epochs = 64;
    params.start_s = kT0 / kSecond;
    auto keys = sig::KeyState::Init(fs_, dir_ + "/keys", params, clock_);
    EXPECT_TRUE(keys.ok()) << keys.status().ToString();
    keys_ = std::move(*keys);
    // The operator's copy, kept "elsewhere".
    auto anchor = fs_.ReadFile(dir_ + "/keys/anchor.json");
    EXPECT_TRUE(anchor.ok());
    anchor_path_ = dir_ + "-anchor.json";
    EXPECT_TRUE(fs_.WriteFileAtomic(anchor_path_, *anchor).ok());
  }
  ~TestLog() { (void)fs_.Remove(anchor_path_); }

  const std::string& dir() const { return dir_; }
  const std::string& anchor_path() const { return anchor_path_; }
  FakeClock& clock() { return clock_; }
  Fs& fs() { return fs_; }
  uint64_t size() const { return frames_.size(); }
  const std::vector<sig::TreeHead>& heads() const { return heads_; }

  // n records received at the clock's time, 1 ms apart.
  void Add(int n, const std::string& text = "message") {
    for (int i = 0; i < n; ++i) {
      std::string raw = "<13>1 - host app - - - " + text + " " + std::to_string(frames_.size() + 1);
      AddRaw(raw, Transport::kUdp);
      clock_.Advance(1'000'000);
    }
  }
  void AddRaw(const std::string& raw, Transport transport) {
    RecordView r;
    r.receive_time_ns = clock_.NowNs();
    r.transport = transport;
    if (transport != Transport::kInternal) {
      r.peer.family = 4;
      r.peer.addr = {192, 0, 2, 1};
      r.peer.port = 514;
    }
    r.original_length = static_cast<uint32_t>(raw.size());
    r.raw = raw;
    std::string frame;
    store::AppendFrame(r, &frame);
    store::SealFrames(frame.data(), frame.size(), SeqNo{frames_.size() + 1});
    frames_.push_back(std::move(frame));
  }
  // A head over all records so far, signed at the clock's time.
  void SignHead() {
    sig::HeadSigner signer(*keys_, clock_, sync_);
    auto head = signer.Sign(size(), RootOf(size()),
                            heads_.empty() ? integrity::Hash{} : sig::HeadHash(heads_.back()));
    ASSERT_TRUE(head.ok()) << head.status().ToString();
    heads_.push_back(*head);
  }
  // Starts a new segment before the next record.
  void NewSegment() { segment_starts_.push_back(frames_.size() + 1); }

  // Writes journal, tiles and heads afresh.
  void Write() {
    WriteJournal();
    WriteTiles();
    WriteHeads(heads_);
  }

  // ---- Tampering ----
  RecordView View(uint64_t seq) {
    RecordView r;
    EXPECT_TRUE(store::DecodeRecord(Payload(seq), &r).ok());
    return r;
  }
  std::string_view Payload(uint64_t seq) {
    return std::string_view(frames_[seq - 1]).substr(store::journal::kFrameHeaderSize);
  }
  // Flips a bit of the record's last raw byte; fix_crc recomputes the frame CRC.
  void FlipByte(uint64_t seq, bool fix_crc) {
    frames_[seq - 1].back() ^= 0x20;
    if (fix_crc) Reseal(seq);
  }
  void SetReceiveTime(uint64_t seq, int64_t t, bool fix_crc = true) {
    store::internal::EncodeFixed64(frames_[seq - 1].data() + store::journal::kFrameHeaderSize +
                                       store::journal::kPayloadReceiveTimeOffset,
                                   static_cast<uint64_t>(t));
    if (fix_crc) Reseal(seq);
  }
  void SetRaw(uint64_t seq, const std::string& raw) {
    RecordView r = View(seq);
    r.raw = raw;
    r.original_length = static_cast<uint32_t>(raw.size());
    r.header = {};
    std::string frame;
    store::AppendFrame(r, &frame);
    store::SealFrames(frame.data(), frame.size(), SeqNo{seq});
    frames_[seq - 1] = std::move(frame);
  }
  void DeleteRecord(uint64_t seq) { deleted_.push_back(seq); }
  // Writes record `seq`'s frame a second time after it.
  void DuplicateRecord(uint64_t seq) { duplicated_.push_back(seq); }
  void SwapRecords(uint64_t a, uint64_t b) { std::swap(frames_[a - 1], frames_[b - 1]); }
  // Drops records after `keep` from the journal.
  void TruncateJournal(uint64_t keep) { truncate_at_ = keep; }

  // The thief of the server in a later epoch: rewrites records from `from` on, rebuilds the
  // tree and tiles, drops every head that covered them and signs one new head with the key of
  // the epoch `epochs_ahead` after the clock's.
  void ResignFrom(uint64_t from, uint64_t epochs_ahead, const std::string& text = "forged") {
    for (uint64_t s = from; s <= size(); ++s) SetRaw(s, "<13>1 - host app - - - " + text);
    std::vector<sig::TreeHead> kept;
    for (const sig::TreeHead& h : heads_) {
      if (h.tree_size < from) kept.push_back(h);
    }
    heads_ = kept;
    clock_.Advance(static_cast<int64_t>(epochs_ahead) * kEpochSeconds * kSecond);
    SignHead();
  }

  void WriteJournal() {
    for (const std::string& name : List(dir_ + "/journal")) {
      ASSERT_TRUE(fs_.Remove(dir_ + "/journal/" + name).ok());
    }
    ASSERT_TRUE(fs_.CreateDirs(dir_ + "/journal").ok());
    std::vector<uint64_t> starts = segment_starts_;
    starts.insert(starts.begin(), 1);
    for (size_t i = 0; i < starts.size(); ++i) {
      uint64_t first = starts[i];
      uint64_t end = i + 1 < starts.size() ? starts[i + 1] : size() + 1;
      std::string bytes = store::EncodeSegmentHeader({SeqNo{first}, kT0});
      for (uint64_t s = first; s < end; ++s) {
        if (truncate_at_ && s > *truncate_at_) break;
        if (std::count(deleted_.begin(), deleted_.end(), s)) continue;
        bytes += frames_[s - 1];
        if (std::count(duplicated_.begin(), duplicated_.end(), s)) bytes += frames_[s - 1];
      }
      auto f = fs_.OpenAppendable(store::SegmentPath(dir_ + "/journal", SeqNo{first}));
      ASSERT_TRUE(f.ok());
      ASSERT_TRUE((*f)->Append(bytes).ok());
      ASSERT_TRUE((*f)->Close().ok());
    }
  }
  void WriteTiles() {
    for (const std::string& name : List(dir_ + "/merkle")) {
      ASSERT_TRUE(fs_.Remove(dir_ + "/merkle/" + name).ok());
    }
    auto store = integrity::TileStore::Open(fs_, dir_ + "/merkle");
    ASSERT_TRUE(store.ok());
    integrity::Frontier f;
    for (uint64_t s = 1; s <= size(); ++s) f.Append(Leaf(s), (*store)->Sink());
    ASSERT_TRUE((*store)->Sync().ok());
  }
  void WriteHeads(const std::vector<sig::TreeHead>& heads) {
    for (const std::string& name : List(dir_ + "/heads")) {
      ASSERT_TRUE(fs_.Remove(dir_ + "/heads/" + name).ok());
    }
    auto store = sig::HeadStore::Open(fs_, dir_ + "/heads");
    ASSERT_TRUE(store.ok());
    for (const sig::TreeHead& h : heads) {
      // A head store refuses heads that do not chain; write those file by file instead.
      Status s = (*store)->Append(h);
      ASSERT_TRUE(s.ok()) << s.ToString();
    }
    ASSERT_TRUE((*store)->Sync().ok());
  }
  // Overwrites one byte of a file.
  void PokeFile(const std::string& path, uint64_t offset, char value) {
    auto bytes = fs_.ReadFile(path);
    ASSERT_TRUE(bytes.ok());
    (*bytes)[offset] = value;
    ASSERT_TRUE(fs_.WriteFileAtomic(path, *bytes).ok());
  }

  integrity::Hash Leaf(uint64_t seq) {
    RecordView r = View(seq);
    std::string scratch;
    return integrity::LeafHashOf(r, &scratch);
  }
  integrity::Hash RootOf(uint64_t n) {
    integrity::Frontier f;
    for (uint64_t s = 1; s <= n; ++s) f.Append(Leaf(s));
    return f.Root();
  }

 private:
  void Reseal(uint64_t seq) {
    std::string& f = frames_[seq - 1];
    store::SealFrames(f.data(), f.size(), SeqNo{seq});
  }
  std::vector<std::string> List(const std::string& dir) {
    auto names = fs_.ListDir(dir);
    return names.ok() ? *names : std::vector<std::string>{};
  }

  PosixFs fs_;
  std::string dir_;
  std::string anchor_path_;
  FakeClock clock_;
  sig::FakeClockSync sync_{sig::ClockSyncState{true, 100, 1000, 0}};
  std::unique_ptr<sig::KeyState> keys_;
  std::vector<std::string> frames_;
  std::vector<sig::TreeHead> heads_;
  std::vector<uint64_t> segment_starts_;
  std::vector<uint64_t> deleted_;
  std::vector<uint64_t> duplicated_;
  std::optional<uint64_t> truncate_at_;
};

}  // namespace kiroku::verify::testing

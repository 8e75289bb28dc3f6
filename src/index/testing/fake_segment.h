// FakeSegment: an in-memory segment::SealedSegment for tests of the planner and the engine.
// Blocks are added as the sealer gives them to SegmentWriter (BlockInput); the term dictionary
// is a sorted map, so Lookup and ScanRange behave as the real file's (byte order, inclusive
// bounds) and count their calls.
//
//   FakeSegment seg(SeqNo{1});
//   segment::BlockInput b;  b.payloads = ...;  b.terms = terms.Take();  ...
//   seg.AddBlock(b);                 // block 0: seqs 1..payloads.size()
//   seg.AddBlock(b2, /*count=*/1024);  // terms and bounds only (no payloads to read back)
//   auto blocks = index::CandidateBlocks(query, seg);
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "index/terms.h"
#include "segment/sealed_segment.h"

namespace kiroku::index::testing {

class FakeSegment final : public segment::SealedSegment {
 public:
  explicit FakeSegment(SeqNo first = SeqNo{1}, std::string path = "fake.seg")
      : path_(std::move(path)) {
    meta_.first = first;
    meta_.last = SeqNo{first.value - 1};
    meta_.index_info = IndexInfo("");
  }

  // Appends a block of `count` records (payloads.size() when count is nullopt); the payloads
  // and extras are kept for ReadBlock.
  void AddBlock(const segment::BlockInput& in, std::optional<uint32_t> count = std::nullopt) {
    const auto block = static_cast<uint32_t>(infos_.size());
    segment::BlockInfo info;
    info.first = SeqNo{meta_.last.value + 1};
    info.count = count ? *count : static_cast<uint32_t>(in.payloads.size());
    info.min_timestamp_ns = in.min_timestamp_ns;
    info.max_timestamp_ns = in.max_timestamp_ns;
    info.min_received_ns = in.min_received_ns;
    info.max_received_ns = in.max_received_ns;
    if (infos_.empty()) {
      meta_.min_timestamp_ns = in.min_timestamp_ns;
      meta_.max_timestamp_ns = in.max_timestamp_ns;
      meta_.min_received_ns = in.min_received_ns;
      meta_.max_received_ns = in.max_received_ns;
    } else {
      meta_.min_timestamp_ns = std::min(meta_.min_timestamp_ns, in.min_timestamp_ns);
      meta_.max_timestamp_ns = std::max(meta_.max_timestamp_ns, in.max_timestamp_ns);
      meta_.min_received_ns = std::min(meta_.min_received_ns, in.min_received_ns);
      meta_.max_received_ns = std::max(meta_.max_received_ns, in.max_received_ns);
    }
    meta_.last = SeqNo{meta_.last.value + info.count};
    infos_.push_back(info);
    Stored s;
    s.payloads.assign(in.payloads.begin(), in.payloads.end());
    s.extras.assign(in.extras.begin(), in.extras.end());
    stored_.push_back(std::move(s));
    for (const std::string& key : in.terms) dict_[key].Add(block);
  }

  segment::SegmentMeta& mutable_meta() { return meta_; }
  int lookups() const { return lookups_; }
  int scans() const { return scans_; }

  const std::string& path() const override { return path_; }
  const segment::SegmentMeta& meta() const override { return meta_; }
  uint32_t block_count() const override { return static_cast<uint32_t>(infos_.size()); }
  const segment::BlockInfo& block(uint32_t i) const override { return infos_.at(i); }
  std::optional<uint32_t> BlockOf(SeqNo seq) const override {
    for (uint32_t i = 0; i < infos_.size(); ++i) {
      if (seq >= infos_[i].first && seq.value < infos_[i].first.value + infos_[i].count) return i;
    }
    return std::nullopt;
  }

  Status Lookup(std::string_view key, segment::BlockSet* out) const override {
    ++lookups_;
    auto it = dict_.find(key);
    *out = it == dict_.end() ? segment::BlockSet() : it->second;
    return Status::Ok();
  }

  Status ScanRange(std::string_view lo, std::string_view hi,
                   const std::function<bool(std::string_view key, const segment::BlockSet& blocks)>&
                       fn) const override {
    ++scans_;
    for (auto it = dict_.lower_bound(lo); it != dict_.end() && std::string_view(it->first) <= hi;
         ++it) {
      if (!fn(it->first, it->second)) break;
    }
    return Status::Ok();
  }

  uint64_t key_count() const override { return dict_.size(); }
  uint64_t sparse_index_bytes() const override { return 0; }

  Status ReadBlock(uint32_t i, segment::DecodedBlock* out) const override {
    if (i >= stored_.size())
      return Status::InvalidArgument("fake segment: no block " + std::to_string(i));
    const Stored& s = stored_[i];
    out->storage.clear();
    out->payloads.clear();
    out->extras.clear();
    std::vector<std::pair<size_t, size_t>> at;
    for (const std::string& p : s.payloads) {
      at.emplace_back(out->storage.size(), p.size());
      out->storage += p;
    }
    for (size_t k = 0; k < s.payloads.size(); ++k) {
      const std::string& e = k < s.extras.size() ? s.extras[k] : std::string();
      at.emplace_back(out->storage.size(), e.size());
      out->storage += e;
    }
    std::string_view all(out->storage);
    for (size_t k = 0; k < s.payloads.size(); ++k) {
      out->payloads.push_back(all.substr(at[k].first, at[k].second));
      const auto& e = at[s.payloads.size() + k];
      out->extras.push_back(all.substr(e.first, e.second));
    }
    return Status::Ok();
  }

 private:
  struct Stored {
    std::vector<std::string> payloads;
    std::vector<std::string> extras;
  };

  std::string path_;
  segment::SegmentMeta meta_;
  std::vector<segment::BlockInfo> infos_;
  std::vector<Stored> stored_;
  std::map<std::string, segment::BlockSet, std::less<>> dict_;
  mutable int lookups_ = 0;
  mutable int scans_ = 0;
};

}  // namespace kiroku::index::testing

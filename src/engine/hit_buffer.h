// HitBuffer: matching records held back until the merge can pass them on in time order.
//
// The engine reads candidate blocks in order of their lowest time. A record matched in one
// block may still be preceded by a record of a block not yet read, so it waits here; before
// reading a block whose lowest time is T, everything earlier than T is passed on. With a limit
// of N only the N earliest are kept (the rest could never be printed), so memory is bounded by
// the limit, or without one by the hits whose blocks overlap in time.
//
//   HitBuffer buf(/*keep=*/100);
//   buf.Push(t, seq, payload, extra);
//   buf.EmitBefore(next_block_min_time, [&](const HitBuffer::Entry& e) { ...; return true; });
//   buf.EmitBefore(INT64_MAX, ...);   // at the end: the rest
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "common/record.h"

namespace kiroku::engine {

class HitBuffer {
 public:
  struct Entry {
    int64_t time_ns;
    SeqNo seq;
    std::string_view payload;  // a journal kSyslog payload (store/record_codec.h)
    std::string_view extra;    // index/enrichment.h; "" when none
  };

  // keep: the most entries worth holding (the run's limit minus the hits already passed on);
  // 0 keeps everything.
  explicit HitBuffer(uint64_t keep = 0) : keep_(keep) {}
  HitBuffer(const HitBuffer&) = delete;
  HitBuffer& operator=(const HitBuffer&) = delete;

  void set_keep(uint64_t keep) { keep_ = keep; }
  // Copies payload and extra. With `keep` entries held, a later entry than all of them is
  // dropped and an earlier one pushes the latest out.
  void Push(int64_t time_ns, SeqNo seq, std::string_view payload, std::string_view extra);
  // Passes on, in (time, seq) order, every entry with time_ns < bound, removing it. Returns
  // false when fn did (the entry fn refused is removed too).
  bool EmitBefore(int64_t bound, const std::function<bool(const Entry&)>& fn);

  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  uint64_t bytes() const { return bytes_; }  // payload and extra bytes held

 private:
  struct Held {
    std::string data;  // payload then extra
    uint32_t payload_size;
  };
  using Key = std::pair<int64_t, uint64_t>;  // (time, seq)
  std::map<Key, Held> entries_;
  uint64_t keep_;
  uint64_t bytes_ = 0;
};

}  // namespace kiroku::engine

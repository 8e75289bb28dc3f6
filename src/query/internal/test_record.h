// Hand-built records for the query tests and the fuzzer: owns the raw bytes and points the
// header's Spans at parts of them, as the syslog parser would.
//
//   TestRecord r("<34>1 2026-11-26T14:30:00Z web01 sshd 42 - - Failed password");
//   r.Set(&SyslogHeader::host, "web01").Set(&SyslogHeader::msg, "Failed password");
//   Matches(query, r.view());
#pragma once

#include <cassert>
#include <string>
#include <string_view>

#include "common/record.h"

namespace kiroku::query::internal {

class TestRecord {
 public:
  explicit TestRecord(std::string raw) : raw_(std::move(raw)) {
    base_.seq = SeqNo{1};
    base_.receive_time_ns = 1'795'703'400'000'000'000;  // 2026-11-26T14:30:00Z
    base_.transport = Transport::kUdp;
    base_.peer.family = 4;
    base_.peer.addr[0] = 127;
    base_.peer.addr[3] = 1;
    base_.peer.port = 51234;
    base_.original_length = static_cast<uint32_t>(raw_.size());
  }

  // Points the span at the first occurrence of `part` after the previously set span (so
  // fields can be set left to right even when a word repeats).
  TestRecord& Set(Span SyslogHeader::*span, std::string_view part) {
    size_t at = raw_.find(part, cursor_);
    assert(at != std::string::npos);
    base_.header.*span = Span{static_cast<uint32_t>(at), static_cast<uint32_t>(part.size())};
    cursor_ = at + part.size();
    return *this;
  }

  RecordView& base() { return base_; }
  RecordView view() const {
    RecordView v = base_;
    v.raw = raw_;
    return v;
  }

 private:
  std::string raw_;
  RecordView base_;
  size_t cursor_ = 0;
};

}  // namespace kiroku::query::internal

// Helpers for the segment tests, the fuzz target and the ratio benchmark: journal payloads
// made the way the committer makes them, and whole segments written in one call.
//
//   std::mt19937_64 rng(1);
//   std::vector<std::string> p = RandomPayloads(rng, SeqNo{1}, 100);
//   Status s = WriteSegment(fs, dir, p, /*block_records=*/32, terms_of_block, &path);
#pragma once

#include <functional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "common/fs.h"
#include "common/record.h"
#include "segment/segment_files.h"
#include "segment/segment_writer.h"
#include "store/journal_format.h"
#include "store/record_codec.h"

namespace kiroku::segment::testing {

// The journal payload of `r` with sequence number `seq`, as the committer writes it.
inline std::string MakePayload(const RecordView& r, SeqNo seq) {
  std::string frame;
  store::AppendFrame(r, &frame);
  store::SealFrames(frame.data(), frame.size(), seq);
  return frame.substr(store::journal::kFrameHeaderSize);
}

// Records with random fields: empty and long raws, binary bytes, IPv4/IPv6/no peers, odd
// flags, device times with and without zones, spans anywhere inside the raw.
inline std::vector<std::string> RandomPayloads(std::mt19937_64& rng, SeqNo first, size_t n,
                                               size_t max_raw = 600) {
  std::vector<std::string> out;
  int64_t t = 1'790'000'000'000'000'000 + static_cast<int64_t>(rng() % 1'000'000'000'000);
  for (size_t i = 0; i < n; ++i) {
    std::string raw;
    switch (rng() % 6) {
      case 0:
        break;  // empty
      case 1:
        for (size_t k = rng() % max_raw; k > 0; --k) raw.push_back(static_cast<char>(rng()));
        break;
      default:
        raw = "<" + std::to_string(rng() % 192) + ">Nov 26 14:37:42 host" +
              std::to_string(rng() % 10) + " app[" + std::to_string(rng() % 5000) + "]: message " +
              std::to_string(rng() % 100000) + " from 10.1." + std::to_string(rng() % 256) + "." +
              std::to_string(rng() % 256);
    }
    RecordView r;
    t += static_cast<int64_t>(rng() % 5'000'000) - 1'000'000;  // not always increasing
    r.receive_time_ns = t;
    r.transport = static_cast<Transport>(rng() % 8);
    switch (rng() % 3) {
      case 0:
        break;
      case 1:
        r.peer.family = 4;
        for (int k = 0; k < 4; ++k) r.peer.addr[k] = static_cast<uint8_t>(rng());
        r.peer.port = static_cast<uint16_t>(rng());
        break;
      default:
        r.peer.family = 6;
        for (auto& b : r.peer.addr) b = static_cast<uint8_t>(rng());
        r.peer.port = static_cast<uint16_t>(rng());
    }
    r.flags = static_cast<uint16_t>(rng() % 8 == 0 ? rng() : 0);
    r.original_length = static_cast<uint32_t>(raw.size() + (rng() % 10 == 0 ? rng() % 100000 : 0));
    r.header.format = static_cast<SyslogFormat>(rng() % 4);
    r.header.facility = static_cast<int8_t>(static_cast<int>(rng() % 25) - 1);
    r.header.severity = static_cast<int8_t>(static_cast<int>(rng() % 9) - 1);
    if (rng() % 3 != 0) {
      r.header.device_time_ns = rng() % 10 == 0
                                    ? static_cast<int64_t>(rng())
                                    : t - static_cast<int64_t>(rng() % 1'000'000'000'000);
    }
    r.header.device_time_zone_known = rng() % 2 == 0;
    r.header.parse_error = rng() % 7 == 0;
    const auto len = static_cast<uint32_t>(raw.size());
    Span* spans[] = {
        &r.header.host, &r.header.app, &r.header.procid, &r.header.msgid, &r.header.structured_data,
        &r.header.msg};
    for (Span* s : spans) {
      if (len == 0 || rng() % 3 == 0) continue;
      uint32_t off = static_cast<uint32_t>(rng() % len);
      *s = Span{off, static_cast<uint32_t>(rng() % (len - off + 1))};
    }
    r.raw = raw;
    out.push_back(MakePayload(r, SeqNo{first.value + i}));
  }
  return out;
}

}  // namespace kiroku::segment::testing

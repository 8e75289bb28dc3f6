// A few records that exercise every output path, shared by the evaluator, formatter and
// search tests and by the fuzzer.
#pragma once

#include <string>

#include "query/internal/test_record.h"

namespace kiroku::query::internal {

inline constexpr int64_t kTestNow = 1'795'703'400'000'000'000;  // 2026-11-26T14:30:00Z

// RFC 5424 from sshd on web01.example.com, device time 2026-11-26T14:29:59.5Z, over UDP from
// 192.0.2.10:51514, with structured data.
inline TestRecord SshdRecord() {
  TestRecord r(
      "<38>1 2026-11-26T14:29:59.5Z web01.example.com sshd 4242 ID47 "
      "[origin@32473 ip=\"192.0.2.10\"] Failed password for invalid user admin from "
      "10.1.2.3 port 51234 ssh2");
  r.Set(&SyslogHeader::host, "web01.example.com")
      .Set(&SyslogHeader::app, "sshd")
      .Set(&SyslogHeader::procid, "4242")
      .Set(&SyslogHeader::msgid, "ID47")
      .Set(&SyslogHeader::structured_data, "[origin@32473 ip=\"192.0.2.10\"]")
      .Set(&SyslogHeader::msg, "Failed password");
  RecordView& b = r.base();
  b.header.msg.len = static_cast<uint32_t>(r.view().raw.size() - b.header.msg.off);
  b.header.format = SyslogFormat::kRfc5424;
  b.header.facility = 4;
  b.header.severity = 6;
  b.header.device_time_ns = kTestNow - 500'000'000;
  b.header.device_time_zone_known = true;
  b.seq = SeqNo{7};
  b.peer = PeerAddress{4, {192, 0, 2, 10}, 51514};
  return r;
}

// Not syslog at all (so parse error, no device time, no host), truncated, with a NUL and an
// invalid UTF-8 byte, over TCP from 2001:db8::1.
inline TestRecord GarbageRecord() {
  TestRecord r(std::string("GET /index.html\0\xff HTTP/1.1", 26));
  r.Set(&SyslogHeader::msg, r.view().raw);
  RecordView& b = r.base();
  b.header.parse_error = true;
  b.flags = kFlagParseError | kFlagTruncated;
  b.original_length = 9000;
  b.transport = Transport::kTcp;
  b.seq = SeqNo{8};
  b.receive_time_ns = kTestNow + 1;
  b.peer.family = 6;
  b.peer.addr = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  b.peer.port = 6514;
  return r;
}

// BSD syslog imported from a file (no peer), with a PROCID that is no number, and a message
// holding quotes, a comma, a newline, a terminal escape sequence, a bidi override and Japanese.
inline TestRecord BackupRecord() {
  TestRecord r(
      "<13>Nov 26 14:30:00 db-01 backup[worker-3]: copied \"a,b\"\nnext \x1b[31mred\x1b[0m "
      "\u202Eevil \\ ログ");
  r.Set(&SyslogHeader::host, "db-01")
      .Set(&SyslogHeader::app, "backup")
      .Set(&SyslogHeader::procid, "worker-3")
      .Set(&SyslogHeader::msg, "copied");
  RecordView& b = r.base();
  b.header.msg.len = static_cast<uint32_t>(r.view().raw.size() - b.header.msg.off);
  b.header.format = SyslogFormat::kRfc3164;
  b.header.facility = 1;
  b.header.severity = 5;
  b.header.device_time_ns = kTestNow;
  b.transport = Transport::kImport;
  b.seq = SeqNo{9};
  b.receive_time_ns = kTestNow + 2'000'000'000;
  b.peer = PeerAddress{};
  return r;
}

}  // namespace kiroku::query::internal

// libFuzzer target for the Windows event normalisers (Snare and NXLog JSON).
//
// Checks for any bytes: no crash, no UB (ASan+UBSan), every entry's value inside the Event's
// arena, no typed value rejected by Event::Add (the normalisers check addresses and numbers
// before adding them), and the same fields on a second run (the functions are pure).
// The input is also cut at '\n' into several records
// so that both the whole and the per-line forms are tried.
//
//   build-fuzz/fuzz/normalize_windows_fuzz -max_total_time=60 -max_len=4096 \
//     fuzz/corpus/normalize_windows_fuzz

#include <arpa/inet.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/record.h"
#include "normalize/windows/windows.h"
#include "syslog/parser.h"
#include "syslog/zone_rules.h"

namespace {

using kiroku::RecordView;
using kiroku::normalize::Event;
using kiroku::normalize::Input;

// 2026-11-26T14:37:42Z
constexpr int64_t kReceiveTimeNs = 1'795'703'862'000'000'000;

void Check(bool ok) {
  if (!ok) std::abort();
}

const kiroku::syslog::ZoneRules& Rules() {
  static const kiroku::syslog::ZoneRules* rules = [] {
    auto* r = new kiroku::syslog::ZoneRules;
    Check(r->SetDefault("UTC").ok());
    return r;
  }();
  return *rules;
}

const kiroku::normalize::Config& TheConfig() {
  static const kiroku::normalize::Config* config = [] {
    auto* c = new kiroku::normalize::Config;
    c->AddAdmin("cn=admin,dc=example,dc=com");
    return c;
  }();
  return *config;
}

RecordView MakeRecord(std::string_view raw, uint64_t seq) {
  RecordView v;
  v.seq = kiroku::SeqNo{seq};
  v.receive_time_ns = kReceiveTimeNs;
  v.transport = kiroku::Transport::kUdp;
  v.peer.family = 4;
  v.peer.addr = {192, 0, 2, 10};
  v.peer.port = 514;
  v.raw = raw;
  v.original_length = static_cast<uint32_t>(raw.size());
  v.header = kiroku::syslog::ParseSyslog(raw, kReceiveTimeNs, Rules(), v.peer);
  return v;
}

void CheckEvent(const Event& e) {
  for (const Event::Entry& entry : e.entries()) {
    Check(e.Value(entry).size() == entry.len);
    Check(entry.len > 0);
  }
  Check(e.rejected() == 0);
}

std::string Dump(const Event& e) {
  std::string s;
  for (const Event::Entry& entry : e.entries()) {
    s.append(std::to_string(static_cast<int>(entry.field))).append("=");
    s.append(e.Value(entry)).append("\x1f");
  }
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> lines{input};
  for (size_t start = 0; start < input.size();) {
    size_t nl = input.find('\n', start);
    if (nl == std::string_view::npos) nl = input.size();
    if (nl > start && start > 0) lines.push_back(input.substr(start, nl - start));
    if (start == 0 && nl < input.size()) lines.push_back(input.substr(0, nl));
    start = nl + 1;
  }
  std::vector<RecordView> records;
  std::vector<Event> events(lines.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    records.push_back(MakeRecord(lines[i], i + 1));
    const Input in = Input::From(records[i]);
    const bool ok = kiroku::normalize::NormalizeWindows(in, TheConfig(), &events[i]);
    Check(ok || events[i].empty());
    CheckEvent(events[i]);
    Event again;
    kiroku::normalize::NormalizeWindows(in, TheConfig(), &again);
    Check(Dump(again) == Dump(events[i]));
  }
  return 0;
}

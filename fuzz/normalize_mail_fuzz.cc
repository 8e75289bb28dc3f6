// libFuzzer target for the mail normaliser: Postfix, Sendmail and Exim lines, and the mail
// correlator over a small batch.
//
// Checks for any bytes: no crash, no read out of bounds (ASan), no UB (UBSan); every entry of
// the Event lies inside its arena; no typed value was rejected (the parsers check IPs and
// integers before they add them); a record that is not recognised leaves the Event empty; and
// the result is deterministic.
//
//   build-fuzz/fuzz/normalize_mail_fuzz -max_total_time=60 -max_len=4096 \
//       fuzz/corpus/normalize_mail_fuzz

#include <arpa/inet.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "common/record.h"
#include "normalize/mail/mail.h"
#include "syslog/parser.h"
#include "syslog/zone_rules.h"

namespace {

using kiroku::RecordView;
namespace nz = kiroku::normalize;

// 2026-11-26T14:37:42Z
constexpr int64_t kReceiveTimeNs = 1'795'703'862'000'000'000;

void Check(bool ok) {
  if (!ok) std::abort();
}

const kiroku::syslog::ZoneRules& Zones() {
  static const kiroku::syslog::ZoneRules* zones = [] {
    auto* z = new kiroku::syslog::ZoneRules;
    Check(z->SetDefault("UTC").ok());
    return z;
  }();
  return *zones;
}

RecordView MakeView(std::string_view raw, uint64_t seq) {
  RecordView v;
  v.seq = kiroku::SeqNo{seq};
  v.receive_time_ns = kReceiveTimeNs;
  v.peer.family = 4;
  v.peer.addr = {192, 0, 2, 10};
  v.raw = raw;
  v.original_length = static_cast<uint32_t>(raw.size());
  v.header = kiroku::syslog::ParseSyslog(raw, kReceiveTimeNs, Zones(), v.peer);
  return v;
}

void CheckEvent(const nz::Event& e) {
  Check(e.rejected() == 0);
  for (const nz::Event::Entry& entry : e.entries()) {
    Check(static_cast<size_t>(entry.field) < nz::kFieldCount);
    std::string_view v = e.Value(entry);
    Check(v.size() == entry.len && !v.empty());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const nz::Config config;
  // Up to 8 records, one per input line, so that correlation sees related lines.
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start <= input.size() && lines.size() < 8) {
    size_t nl = input.find('\n', start);
    if (nl == std::string_view::npos) nl = input.size();
    lines.push_back(input.substr(start, nl - start));
    start = nl + 1;
  }
  std::vector<RecordView> views;
  std::vector<nz::Event> events(lines.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    views.push_back(MakeView(lines[i], i + 1));
    const nz::Input in = nz::Input::From(views[i]);
    const bool recognised = nz::NormalizeMail(in, config, &events[i]);
    Check(recognised != events[i].empty());
    CheckEvent(events[i]);
    nz::Event again;
    Check(nz::NormalizeMail(in, config, &again) == recognised);
    Check(again.entries().size() == events[i].entries().size());
  }
  auto corr = nz::NewMailCorrelator();
  for (size_t i = 0; i < views.size(); ++i) corr->Observe(views[i], events[i]);
  for (size_t i = 0; i < views.size(); ++i) {
    corr->Enrich(views[i], &events[i]);
    CheckEvent(events[i]);
  }
  return 0;
}

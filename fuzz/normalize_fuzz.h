// The shared body of the normaliser fuzz targets (one target per device family, so each gets
// its own corpus and dictionary). For any bytes it checks: no crash, no read out of bounds
// (ASan), no UB (UBSan); every entry of an Event lies inside its arena; no typed value was
// rejected (the parsers check IPs and integers before they add them); a record that is not
// recognised leaves the Event empty; the result is deterministic; and the family's correlator
// (if it has one) keeps all of that true over a batch.
//
// The input is tried whole (multi-line records: LDIF, RADIUS detail) and cut at '\n' into up
// to 8 records, so that related lines (a mail's queue id, an LDAP connection) meet.
//
//   extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
//     return kiroku::fuzz::FuzzNormalizer(data, size, &NormalizeMail, &NewMailCorrelator);
//   }
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string_view>
#include <vector>

#include "common/record.h"
#include "normalize/family.h"
#include "syslog/parser.h"
#include "syslog/zone_rules.h"

namespace kiroku::fuzz {

inline void Check(bool ok) {
  if (!ok) std::abort();
}

inline const syslog::ZoneRules& FuzzZones() {
  static const syslog::ZoneRules* zones = [] {
    auto* z = new syslog::ZoneRules;
    Check(z->SetDefault("UTC").ok());
    return z;
  }();
  return *zones;
}

inline RecordView FuzzRecord(std::string_view raw, uint64_t seq) {
  constexpr int64_t kReceiveTimeNs = 1'795'703'862'000'000'000;  // 2026-11-26T14:37:42Z
  RecordView v;
  v.seq = SeqNo{seq};
  v.receive_time_ns = kReceiveTimeNs;
  v.peer.family = 4;
  v.peer.addr = {192, 0, 2, 10};
  v.raw = raw;
  v.original_length = static_cast<uint32_t>(raw.size());
  v.header = syslog::ParseSyslog(raw, kReceiveTimeNs, FuzzZones(), v.peer);
  return v;
}

inline void CheckEvent(const normalize::Event& e) {
  Check(e.rejected() == 0);
  for (const normalize::Event::Entry& entry : e.entries()) {
    Check(static_cast<size_t>(entry.field) < normalize::kFieldCount);
    std::string_view v = e.Value(entry);
    Check(v.size() == entry.len && !v.empty());
  }
}

using CorrelatorFactory = std::unique_ptr<normalize::Correlator> (*)();

inline int FuzzNormalizer(const uint8_t* data, size_t size, normalize::NormalizeFn normalize,
                          CorrelatorFactory make_correlator = nullptr) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  static const normalize::Config* config = [] {
    auto* c = new normalize::Config;
    c->AddAdmin("cn=admin,dc=example,dc=com");
    return c;
  }();
  std::vector<std::string_view> pieces{input};
  size_t start = 0;
  while (start < input.size() && pieces.size() < 9) {
    size_t nl = input.find('\n', start);
    if (nl == std::string_view::npos) break;
    pieces.push_back(input.substr(start, nl - start));
    start = nl + 1;
  }
  if (pieces.size() > 1 && start < input.size()) pieces.push_back(input.substr(start));
  std::vector<RecordView> views;
  std::vector<normalize::Event> events(pieces.size());
  for (size_t i = 0; i < pieces.size(); ++i) {
    views.push_back(FuzzRecord(pieces[i], i + 1));
    const normalize::Input in = normalize::Input::From(views[i]);
    const bool recognised = normalize(in, *config, &events[i]);
    Check(recognised != events[i].empty());
    CheckEvent(events[i]);
    normalize::Event again;
    Check(normalize(in, *config, &again) == recognised);
    Check(again.entries().size() == events[i].entries().size());
  }
  if (make_correlator) {
    std::unique_ptr<normalize::Correlator> corr = make_correlator();
    for (size_t i = 0; i < views.size(); ++i) corr->Observe(views[i], events[i]);
    for (size_t i = 0; i < views.size(); ++i) {
      corr->Enrich(views[i], &events[i]);
      CheckEvent(events[i]);
    }
  }
  return 0;
}

}  // namespace kiroku::fuzz

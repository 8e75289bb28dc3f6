// libFuzzer target for the network family normalisers (netfilter, ASA/FTD, FortiGate, PAN-OS,
// CEF, LEEF).
//
// Parses the input as a syslog record (as the dispatcher does), runs NormalizeNetwork and
// checks: no crash, no read out of bounds (ASan), no UB (UBSan); every value lies inside the
// Event's own arena (nothing points into the record); nothing was rejected by Event::Add (the
// parsers check addresses, ports and numbers before adding); a recognised record names its
// normaliser; an unrecognised one leaves the Event empty; the same input gives the same fields;
// the correlator's Observe/Enrich take any record.
//
//   ninja -C build-fuzz normalize_network_fuzz &&
//     build-fuzz/fuzz/normalize_network_fuzz -max_total_time=60 -max_len=4096 \
//       fuzz/corpus/normalize_network_fuzz

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string_view>

#include "common/record.h"
#include "normalize/event.h"
#include "normalize/network/network.h"
#include "syslog/parser.h"
#include "syslog/zone_rules.h"

namespace {

using kiroku::normalize::Event;
using kiroku::normalize::Field;

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
  static const kiroku::normalize::Config* c = new kiroku::normalize::Config;
  return *c;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  kiroku::RecordView r;
  r.raw = std::string_view(reinterpret_cast<const char*>(data), size);
  r.receive_time_ns = kReceiveTimeNs;
  r.original_length = static_cast<uint32_t>(size);
  r.peer.family = 4;
  r.peer.addr = {192, 0, 2, 10};
  r.header = kiroku::syslog::ParseSyslog(r.raw, kReceiveTimeNs, Rules(), r.peer);
  const kiroku::normalize::Input in = kiroku::normalize::Input::From(r);

  Event e;
  bool ok = kiroku::normalize::NormalizeNetwork(in, TheConfig(), &e);
  Check(ok != e.empty());
  Check(e.rejected() == 0);
  if (ok) Check(e.Has(Field::kKirokuNormalizer));
  size_t arena = 0;
  for (const Event::Entry& entry : e.entries()) {
    std::string_view v = e.Value(entry);
    Check(v.size() == entry.len);
    Check(!v.empty());
    arena += v.size();
    // Stored values are copies: they never alias the record's bytes.
    Check(v.data() < r.raw.data() || v.data() >= r.raw.data() + r.raw.size());
  }

  Event again;
  Check(kiroku::normalize::NormalizeNetwork(in, TheConfig(), &again) == ok);
  Check(again.entries().size() == e.entries().size());
  for (size_t i = 0; i < e.entries().size(); ++i) {
    Check(e.entries()[i].field == again.entries()[i].field);
    Check(e.Value(e.entries()[i]) == again.Value(again.entries()[i]));
  }
  (void)arena;

  // The correlator: the record as its own Built and teardown must not break anything, and a
  // teardown it enriches still names its normaliser.
  std::unique_ptr<kiroku::normalize::Correlator> corr = kiroku::normalize::NewNetworkCorrelator();
  corr->Observe(r, e);
  corr->Enrich(r, &again);
  Check(again.rejected() == 0);
  Check(again.empty() == e.empty());
  return 0;
}

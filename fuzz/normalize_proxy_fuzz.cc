// libFuzzer target for the proxy family (src/normalize/proxy): Squid native, CLF/combined, W3C
// with its #Fields correlator.
//
// The input is cut at '\n' into up to 16 records, so that #Fields headers and the data lines
// after them meet in the correlator. Checks, for any bytes: no crash or UB (ASan/UBSan), a
// record not recognised leaves the Event empty, every entry lies inside the Event's arena,
// no typed value was rejected (the parsers check before they add), the same record always
// gives the same fields, and every recognised record names its normaliser and observer.type.
//
//   ninja -C build-fuzz normalize_proxy_fuzz &&
//   build-fuzz/fuzz/normalize_proxy_fuzz -max_total_time=60 -max_len=4096 \
//     fuzz/corpus/normalize_proxy_fuzz

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/record.h"
#include "normalize/config.h"
#include "normalize/event.h"
#include "normalize/proxy/proxy.h"
#include "syslog/parser.h"
#include "syslog/zone_rules.h"

namespace {

using kiroku::RecordView;
using kiroku::normalize::Config;
using kiroku::normalize::Event;
using kiroku::normalize::Field;
using kiroku::normalize::Input;

constexpr int64_t kReceiveTimeNs = 1'795'703'862'000'000'000;

void Check(bool ok) {
  if (!ok) std::abort();
}

const kiroku::syslog::ZoneRules& Zones() {
  static const kiroku::syslog::ZoneRules* z = [] {
    auto* r = new kiroku::syslog::ZoneRules;
    Check(r->SetDefault("UTC").ok());
    return r;
  }();
  return *z;
}

std::string Dump(const Event& e) {
  std::string s;
  for (const Event::Entry& x : e.entries()) {
    s += std::to_string(static_cast<int>(x.field)) + "=" + std::string(e.Value(x)) + "\n";
  }
  return s;
}

void CheckEvent(const Event& e, bool recognised) {
  Check(recognised || e.empty());
  Check(e.rejected() == 0);
  for (const Event::Entry& x : e.entries()) Check(e.Value(x).size() == x.len);
  if (!e.empty()) {
    Check(e.Has(Field::kKirokuNormalizer));
    Check(e.Has(Field::kObserverType));
    std::string_view o = e.Get(Field::kEventOutcome);
    Check(o.empty() || o == "success" || o == "failure" || o == "unknown");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view all(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> lines;
  for (size_t pos = 0; pos <= all.size() && lines.size() < 16;) {
    size_t nl = all.find('\n', pos);
    if (nl == std::string_view::npos) nl = all.size();
    lines.emplace_back(all.substr(pos, nl - pos));
    pos = nl + 1;
  }
  const Config config;
  std::vector<RecordView> views(lines.size());
  std::vector<Event> events(lines.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    RecordView& v = views[i];
    v.seq.value = i + 1;
    v.receive_time_ns = kReceiveTimeNs;
    v.peer.family = 4;
    v.peer.addr = {192, 0, 2, 10};
    v.raw = lines[i];
    v.original_length = static_cast<uint32_t>(lines[i].size());
    v.header = kiroku::syslog::ParseSyslog(v.raw, kReceiveTimeNs, Zones(), v.peer);
    bool ok = kiroku::normalize::NormalizeProxy(Input::From(v), config, &events[i]);
    CheckEvent(events[i], ok);
    Event again;
    Check(kiroku::normalize::NormalizeProxy(Input::From(v), config, &again) == ok);
    Check(Dump(again) == Dump(events[i]));
  }
  std::unique_ptr<kiroku::normalize::Correlator> c = kiroku::normalize::NewProxyCorrelator();
  for (size_t i = 0; i < lines.size(); ++i) c->Observe(views[i], events[i]);
  for (size_t i = 0; i < lines.size(); ++i) {
    c->Enrich(views[i], &events[i]);
    CheckEvent(events[i], true);
  }
  return 0;
}

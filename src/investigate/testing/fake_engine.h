// An engine::Engine over lines held in memory, for the investigation tests: each line is parsed
// as the server would (syslog header, receive time, peer), normalised and correlated in
// sequence order like the sealer, and Run answers in time order. No files, no index.
//
//   FakeEngine engine;
//   engine.Add("<22>Nov 26 14:37:42 mx1 postfix/smtpd[1]: connect from a[203.0.113.9]");
//   Context ctx{.engine = &engine, .config = &engine.normalizer().config()};
#pragma once

#include <algorithm>
#include <deque>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "engine/engine.h"
#include "normalize/all/normalizer.h"
#include "query/evaluator.h"
#include "syslog/parser.h"
#include "syslog/zone_rules.h"

namespace kiroku::investigate::testing {

class FakeEngine : public engine::Engine {
 public:
  // 2026-11-26T14:37:42Z, the receive time of the normaliser samples.
  static constexpr int64_t kReceiveNs = 1795703862LL * 1'000'000'000;

  FakeEngine() : normalizer_(std::make_unique<normalize::Normalizer>()) {
    (void)zones_.SetDefault("UTC");
  }
  explicit FakeEngine(const normalize::Settings& settings) : FakeEngine() {
    normalizer_ = std::move(*normalize::MakeNormalizer(settings));
  }

  const normalize::Normalizer& normalizer() const { return *normalizer_; }

  // Adds one message as received `receive_ns` from 192.0.2.10 over UDP; returns its seq.
  uint64_t Add(std::string line, int64_t receive_ns = kReceiveNs) {
    Stored& s = stored_.emplace_back();
    s.raw = std::move(line);
    s.view.seq = SeqNo{stored_.size()};
    s.view.receive_time_ns = receive_ns;
    s.view.transport = Transport::kUdp;
    s.view.peer.family = 4;
    s.view.peer.addr[0] = 192;
    s.view.peer.addr[2] = 2;
    s.view.peer.addr[3] = 10;
    s.view.peer.port = 514;
    s.view.original_length = static_cast<uint32_t>(s.raw.size());
    s.view.raw = s.raw;
    s.view.header = syslog::ParseSyslog(s.raw, receive_ns, zones_, s.view.peer);
    if (s.view.header.parse_error) s.view.flags |= kFlagParseError;
    return s.view.seq.value;
  }

  int runs() const { return runs_; }

  Status Run(const query::Node& query, const engine::RunOptions& options, const engine::HitFn& fn,
             engine::RunStats* stats) override {
    ++runs_;
    std::unique_ptr<normalize::Correlator> correlator = normalizer_->NewCorrelator();
    normalize::Event event;
    for (const Stored& s : stored_) {
      if (normalizer_->MayCorrelate(s.view)) {
        normalizer_->Normalize(s.view, &event);
        correlator->Observe(s.view, event);
      }
    }
    std::vector<std::pair<const Stored*, normalize::Event>> hits;
    for (const Stored& s : stored_) {
      normalizer_->Normalize(s.view, &event);
      correlator->Enrich(s.view, &event);
      if (!options.include_internal && s.view.transport == Transport::kInternal) continue;
      if (query::Matches(query, s.view, &event)) hits.emplace_back(&s, event);
    }
    auto time = [&](const RecordView& r) {
      int64_t ts = TimeOf(r);
      return options.time_of ? options.time_of(r, ts) : ts;
    };
    std::stable_sort(hits.begin(), hits.end(), [&](const auto& a, const auto& b) {
      return time(a.first->view) < time(b.first->view);
    });
    uint64_t n = 0;
    for (const auto& [s, e] : hits) {
      if (options.limit != 0 && n >= options.limit) break;
      ++n;
      if (stats) ++stats->hits;
      engine::Hit hit{s->view, &e, time(s->view)};
      if (!fn(hit)) break;
    }
    return Status::Ok();
  }

  StatusOr<uint64_t> Count(const query::Node& query, const engine::RunOptions& options,
                           engine::RunStats* stats) override {
    uint64_t n = 0;
    Status s = Run(
        query, options, [&](const engine::Hit&) { return ++n, true; }, stats);
    if (!s.ok()) return s;
    return n;
  }

 private:
  struct Stored {
    std::string raw;
    RecordView view;
  };
  static int64_t TimeOf(const RecordView& r) {
    return r.header.device_time_ns.value_or(r.receive_time_ns);
  }

  std::unique_ptr<normalize::Normalizer> normalizer_;
  syslog::ZoneRules zones_;
  std::deque<Stored> stored_;  // stable addresses: views point into raw
  int runs_ = 0;
};

}  // namespace kiroku::investigate::testing

#include "timewatch/clock_watch.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <ctime>
#include <nlohmann/json.hpp>
#include <random>

#include "common/testing/temp_dir.h"
#include "normalize/all/normalizer.h"
#include "syslog/parser.h"
#include "syslog/zone_rules.h"
#include "timewatch/corrector.h"

namespace kiroku::timewatch {
namespace {

constexpr int64_t kMs = 1'000'000;
constexpr int64_t kS = 1'000'000'000;
constexpr int64_t kMin = 60 * kS;
constexpr int64_t kHour = 60 * kMin;
constexpr int64_t kDay = 24 * kHour;
constexpr int64_t kT0 = 1'780'000'000 * kS;  // 2026-05-28

PeerAddress Peer(const char* ip) {
  PeerAddress p;
  p.family = 4;
  inet_pton(AF_INET, ip, p.addr.data());
  p.port = 40000;
  return p;
}

std::string Rfc5424Time(int64_t ns) {
  time_t s = static_cast<time_t>(ns / kS);
  std::tm tm{};
  gmtime_r(&s, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<long long>(ns % kS / 1000));
  return buf;
}

// "Mmm dd hh:mm:ss" of ns shifted by `zone_s` (a device logging local time without zone).
std::string Rfc3164Time(int64_t ns, int64_t zone_s) {
  time_t s = static_cast<time_t>(ns / kS + zone_s);
  std::tm tm{};
  gmtime_r(&s, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%b %e %H:%M:%S", &tm);
  return buf;
}

class ClockWatchTest : public ::testing::Test {
 protected:
  ClockWatchTest() : clock_(kT0) {
    EXPECT_TRUE(zones_.SetDefault("UTC").ok());
    normalizer_ = std::move(*normalize::MakeNormalizer(normalize::Settings{}));
    sync_.Set({.synced = true, .est_error_us = 200, .max_error_us = 5000, .status = 0});
  }

  std::unique_ptr<ClockWatch> MakeWatch(Thresholds t = {}) {
    ClockWatchOptions o;
    o.dir = dir_.path() + "/timewatch";
    o.thresholds = t;
    auto w = std::make_unique<ClockWatch>(fs_, clock_, &metrics_, sync_, o);
    w->SetNormalizer(normalizer_.get());
    w->SetZones(&zones_);
    w->SetAuditSink([this](evidence::AuditEvent e) { audit_.push_back(std::move(e)); });
    EXPECT_TRUE(w->Load().ok());
    return w;
  }

  // One record received now (the fake clock) plus a transit delay.
  void Send(ClockWatch& w, const std::string& raw, const char* ip, int64_t delay_ns = kMs) {
    RecordView r;
    r.seq = SeqNo{++seq_};
    r.receive_time_ns = clock_.NowNs() + delay_ns;
    r.transport = Transport::kTcp;
    r.peer = Peer(ip);
    r.raw = raw;
    r.original_length = static_cast<uint32_t>(raw.size());
    r.header = syslog::ParseSyslog(raw, r.receive_time_ns, zones_, r.peer);
    w.Observe(r);
  }
  std::string Line5424(const char* host, int64_t offset_ns, const char* app = "app",
                       const std::string& msg = "hello") {
    return "<13>1 " + Rfc5424Time(clock_.NowNs() + offset_ns) + " " + host + " " + app + " 1 - - " +
           msg;
  }
  std::string Line3164(const char* host, int64_t zone_s, const char* app = "app",
                       const std::string& msg = "hello") {
    return "<13>" + Rfc3164Time(clock_.NowNs(), zone_s) + " " + host + " " + app + "[1]: " + msg;
  }

  const SourceReport* Find(const std::vector<SourceReport>& rs, const std::string& host) {
    for (const auto& r : rs) {
      if (r.host == host) return &r;
    }
    return nullptr;
  }
  int CountAudit(const std::string& msgid) const {
    int n = 0;
    for (const auto& e : audit_) n += e.msgid == msgid;
    return n;
  }

  testing::TempDir dir_;
  PosixFs fs_;
  FakeClock clock_;
  Metrics metrics_;
  integrity::signing::FakeClockSync sync_;
  syslog::ZoneRules zones_;
  std::unique_ptr<normalize::Normalizer> normalizer_;
  std::vector<evidence::AuditEvent> audit_;
  uint64_t seq_ = 0;
  std::mt19937_64 rng_{7};
};

TEST_F(ClockWatchTest, StatusesOfSyntheticSources) {
  auto w = MakeWatch();
  std::exponential_distribution<double> jitter(1.0 / 5.0);  // ms
  auto delay = [&] { return static_cast<int64_t>((0.3 + jitter(rng_)) * kMs); };
  Send(*w, Line5424("ntp4", 0, "chronyd", "Selected source 192.0.2.1 (ntp1.example.com)"),
       "10.0.0.4");
  Send(*w, Line5424("lost5", 0, "chronyd", "Can't synchronise: no selectable sources"), "10.0.0.5");
  for (int i = 0; i < 300; ++i) {
    clock_.Advance(2 * kS + static_cast<int64_t>(rng_() % 1000) * kMs);
    Send(*w, Line5424("fw1", 3 * kS), "10.0.0.1", delay());
    Send(*w, Line5424("srv2", -120 * kS), "10.0.0.2", delay());
    Send(*w, Line3164("old3", 9 * 3600), "10.0.0.3", delay());
    Send(*w, Line5424("ntp4", 12 * kMs), "10.0.0.4", delay());
    Send(*w, Line5424("lost5", 0), "10.0.0.5", delay());
  }
  w->Tick();
  auto rs = w->Reports();
  ASSERT_EQ(rs.size(), 5u);
  const SourceReport* fw1 = Find(rs, "fw1");
  ASSERT_TRUE(fw1 && fw1->offset_ms);
  EXPECT_EQ(fw1->status, "offset");
  EXPECT_NEAR(*fw1->offset_ms, 3000.0, 100.0);
  EXPECT_EQ(fw1->address, "10.0.0.1");
  EXPECT_EQ(fw1->messages, 300u);
  EXPECT_EQ(fw1->transports, std::vector<std::string>{"tcp"});
  const SourceReport* srv2 = Find(rs, "srv2");
  EXPECT_EQ(srv2->status, "offset");
  EXPECT_NEAR(*srv2->offset_ms, -120000.0, 100.0);
  const SourceReport* old3 = Find(rs, "old3");
  EXPECT_EQ(old3->status, "timezone?");
  EXPECT_EQ(old3->likely_timezone, "UTC+09:00");
  EXPECT_NEAR(*old3->offset_ms, 9 * 3600e3, 1000.0);
  EXPECT_NEAR(*old3->residual_offset_ms, 0.0, 1000.0);
  const SourceReport* ntp4 = Find(rs, "ntp4");
  EXPECT_EQ(ntp4->status, "ok");
  EXPECT_NEAR(*ntp4->offset_ms, 12.0, 10.0);
  EXPECT_EQ(ntp4->time_server, "192.0.2.1");
  EXPECT_EQ(ntp4->last_sync_ns, kT0 + kMs);
  EXPECT_EQ(ntp4->observer_type, "ntp");
  // The server's max error (5 ms, synced) is part of the uncertainty.
  EXPECT_GE(*ntp4->uncertainty_ms, 5.0);
  EXPECT_EQ(Find(rs, "lost5")->status, "unsynced");
  // Alerts: two offsets and the fleet's single time server; each once.
  EXPECT_EQ(CountAudit(kCondOffset), 3);  // fw1, srv2, old3 (its offset is the zone's)
  EXPECT_EQ(CountAudit(kCondSingleTimeServer), 1);
  EXPECT_EQ(CountAudit(kAuditServerClockSynced) + CountAudit(kAuditServerClockUnsynced), 0);
  w->Tick();
  EXPECT_EQ(CountAudit(kCondOffset), 3);
}

TEST_F(ClockWatchTest, AlertsFireOnceAndClearOverDays) {
  Thresholds t;
  t.silent_after_by["firewall"] = 10 * kMin;
  auto w = MakeWatch(t);
  // A firewall (netfilter lines) with a good clock; a server 3 s ahead.
  const std::string fw_msg =
      "[UFW BLOCK] IN=eth0 OUT= SRC=10.1.2.3 DST=10.0.0.9 PROTO=TCP SPT=1 DPT=22";
  for (int i = 0; i < 60; ++i) {
    clock_.Advance(kMin);
    Send(*w, Line5424("fw", 0, "kernel", fw_msg), "10.0.0.1");
    Send(*w, Line5424("db", 3 * kS), "10.0.0.2");
    w->Tick();
  }
  ASSERT_EQ(Find(w->Reports(), "fw")->observer_type, "firewall");
  EXPECT_EQ(CountAudit(kCondOffset), 1);
  EXPECT_EQ(CountAudit(kCondSilent), 0);
  // The firewall stops; the server keeps logging and fixes its clock after 2 days.
  for (int i = 0; i < 3 * 24 * 12; ++i) {  // three days in 5 min steps
    clock_.Advance(5 * kMin);
    Send(*w, Line5424("db", i < 2 * 24 * 12 ? 3 * kS : 0), "10.0.0.2");
    if (i % 6 == 0) w->Tick();
  }
  EXPECT_EQ(CountAudit(kCondSilent), 1);  // fw after 10 min, once
  EXPECT_EQ(CountAudit("source-silent-cleared"), 0);
  EXPECT_EQ(CountAudit(kCondSyncMissing), 1);        // db: never logged a sync, after 24 h
  EXPECT_EQ(CountAudit("clock-offset-cleared"), 1);  // db after its step back to 0
  EXPECT_EQ(Find(w->Reports(), "db")->status, "no-sync-log");
  EXPECT_EQ(Find(w->Reports(), "fw")->status, "silent");
  // The firewall comes back; the server logs a sync.
  clock_.Advance(kMin);
  Send(*w, Line5424("fw", 0, "kernel", fw_msg), "10.0.0.1");
  Send(*w,
       Line5424("db", 0, "systemd-timesyncd",
                "Synchronized to time server 192.0.2.7:123 (ntp.example.com)."),
       "10.0.0.2");
  w->Tick();
  EXPECT_EQ(CountAudit("source-silent-cleared"), 1);
  EXPECT_EQ(CountAudit("sync-missing-cleared"), 1);
  EXPECT_EQ(Find(w->Reports(), "db")->status, "ok");
  // The alert records name the source.
  for (const auto& e : audit_) {
    if (e.msgid != kCondSilent) continue;
    EXPECT_EQ(e.params.at(0), (std::pair<std::string, std::string>("source_host", "fw")));
    EXPECT_EQ(e.severity, evidence::kSeverityWarning);
  }
  EXPECT_EQ(metrics_.GetCounter("kiroku_clock_alerts_total", "", {{"alert", kCondSilent}}).value(),
            1u);
}

TEST_F(ClockWatchTest, ServerClockStateAndUnsyncedIntervals) {
  sync_.Set({.synced = false, .est_error_us = 16000000, .max_error_us = 16000000, .status = 64});
  auto w = MakeWatch();
  w->Start();  // the first reading is the start record's (serve), not a record of its own
  EXPECT_TRUE(audit_.empty());
  EXPECT_NE(metrics_.RenderPrometheus().find("\nkiroku_clock_synced 0\n"), std::string::npos);
  const int64_t unsynced_from = clock_.NowNs();
  clock_.Advance(kMin);
  w->Tick();
  w->Stop();  // the interval is closed at the last check when the next run reads it
  clock_.Advance(10 * kMin);
  sync_.Set({.synced = true, .est_error_us = 100, .max_error_us = 2000, .status = 0});
  auto w2 = MakeWatch();  // restart: intervals come back from the snapshot
  w2->Tick();
  EXPECT_TRUE(audit_.empty());
  clock_.Advance(kMin);
  sync_.Set({.synced = false, .est_error_us = 100, .max_error_us = 3000, .status = 64});
  w2->Tick();
  w2->Tick();
  EXPECT_EQ(CountAudit(kAuditServerClockUnsynced), 1);
  clock_.Advance(kMin);
  sync_.Set({.synced = true, .est_error_us = 100, .max_error_us = 2000, .status = 0});
  w2->Tick();
  EXPECT_EQ(CountAudit(kAuditServerClockSynced), 1);
  EXPECT_NE(metrics_.RenderPrometheus().find("\nkiroku_clock_synced 1\n"), std::string::npos);
  EXPECT_EQ(metrics_.GetGauge("kiroku_clock_max_error_microseconds", "").value(), 2000);
  w2->Stop();
  auto c = Corrector::Load(fs_, dir_.path());
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_TRUE(c->ReceiveUnsynced(unsynced_from + kS));
  EXPECT_FALSE(c->ReceiveUnsynced(unsynced_from + 10 * kMin + 30 * kS));
  EXPECT_TRUE(c->ReceiveUnsynced(unsynced_from + 12 * kMin + 30 * kS));
  EXPECT_FALSE(c->ReceiveUnsynced(unsynced_from + 13 * kMin + 30 * kS));
}

TEST_F(ClockWatchTest, SnapshotCorrectorAndRestart) {
  auto w = MakeWatch();
  w->Start();
  const int64_t first = clock_.NowNs();
  for (int i = 0; i < 20 * 30; ++i) {  // 20 minutes
    clock_.Advance(2 * kS);
    Send(*w, Line5424("fw1", 3 * kS), "10.0.0.1", (1 + i % 7) * kMs);
    if (i % 150 == 0) w->Tick();
  }
  w->Stop();
  auto text = fs_.ReadFile(dir_.path() + "/timewatch/sources.json");
  ASSERT_TRUE(text.ok());
  auto view = ViewFromSnapshot(*text, clock_.NowNs());
  ASSERT_TRUE(view.ok()) << view.status().ToString();
  ASSERT_EQ(view->sources.size(), 1u);
  EXPECT_EQ(view->sources[0].status, "offset");
  EXPECT_EQ(view->sources[0].messages, 600u);
  nlohmann::json j = view->sources[0].ToJson();
  for (const char* k : {"host", "address", "messages", "first_seen", "last_seen", "observer_type",
                        "clock_offset_ms", "clock_offset_uncertainty_ms", "drift_ppm", "last_sync",
                        "time_server", "status"}) {
    EXPECT_TRUE(j.contains(k)) << k;
  }
  EXPECT_EQ(j["first_seen"], FormatTime(first + 2 * kS + kMs));

  auto c = Corrector::Load(fs_, dir_.path());
  ASSERT_TRUE(c.ok());
  const int64_t device = first + 10 * kMin + 3 * kS;
  Correction k = c->Correct("fw1", "10.0.0.1", device);
  EXPECT_TRUE(k.estimated);
  EXPECT_NEAR(static_cast<double>(k.corrected_ns - (first + 10 * kMin)) / kMs, 0.0, 100.0);
  EXPECT_FALSE(c->Correct("other", "10.0.0.9", device).estimated);

  // A restart continues the counts.
  auto w2 = MakeWatch();
  clock_.Advance(2 * kS);
  Send(*w2, Line5424("fw1", 3 * kS), "10.0.0.1");
  EXPECT_EQ(w2->Reports()[0].messages, 601u);
}

size_t HistoryLines(Fs& fs, const std::string& dir) {
  auto text = fs.ReadFile(dir + "/timewatch/offsets.jsonl");
  if (!text.ok()) return 0;
  return static_cast<size_t>(std::count(text->begin(), text->end(), '\n'));
}

// Every corrected search reads the whole history, so a steady source must not add a line a
// window (or an hour) for ever: a few lines while its estimate settles, then none. A source
// that moves gets lines as it moves, and the corrector follows it.
TEST_F(ClockWatchTest, HistoryOfASteadySourceStopsGrowing) {
  auto w = MakeWatch();
  w->Start();
  auto run = [&](int64_t duration, int64_t (*offset)(int64_t)) {
    const int64_t start = clock_.NowNs();
    for (int i = 0; clock_.NowNs() - start < duration; ++i) {
      clock_.Advance(10 * kS);
      Send(*w, Line5424("fw1", offset(clock_.NowNs() - kT0)), "10.0.0.1", (1 + i % 5) * kMs);
      if (i % 30 == 0) w->Tick();
    }
  };
  run(2 * kDay, [](int64_t) { return 3 * kS; });
  const size_t after_two_days = HistoryLines(fs_, dir_.path());
  EXPECT_GE(after_two_days, 1u);
  EXPECT_LE(after_two_days, 8u);  // the first window, then a few as the uncertainty shrinks
  run(3 * kDay, [](int64_t) { return 3 * kS; });
  EXPECT_EQ(HistoryLines(fs_, dir_.path()), after_two_days);  // three more days: not a line

  // Then the clock steps by +200 ms and drifts 20 ppm (1.7 ms an hour) for a day.
  const int64_t drift_from = clock_.NowNs() - kT0;
  static int64_t from;
  from = drift_from;
  run(kDay, [](int64_t t) { return 3 * kS + 200 * kMs + (t - from) / 50'000; });
  w->Stop();
  const size_t after_drift = HistoryLines(fs_, dir_.path());
  EXPECT_GT(after_drift, after_two_days + 5);
  EXPECT_LT(after_drift, after_two_days + 300);  // not a line per 5-min window (288 a day)
  auto c = Corrector::Load(fs_, dir_.path());
  ASSERT_TRUE(c.ok());
  const int64_t truth = clock_.NowNs() - 2 * kHour;
  const int64_t offset = 3 * kS + 200 * kMs + (truth - kT0 - from) / 50'000;
  Correction k = c->Correct("fw1", "10.0.0.1", truth + offset);
  ASSERT_TRUE(k.estimated);
  EXPECT_NEAR(static_cast<double>(k.corrected_ns - truth) / kMs, 0.0, 10.0);
}

// The corrector reads the lines the clock watch writes without a JSON parser, and anything
// else with one: both give the same points, and a torn or foreign line is skipped.
TEST_F(ClockWatchTest, CorrectorReadsHistoryLinesInEitherShape) {
  ASSERT_TRUE(fs_.CreateDirs(dir_.path() + "/timewatch").ok());
  auto line = [](const std::string& host, int64_t at, int64_t off, bool step) {
    return nlohmann::json{{"host", host},          {"address", "10.0.0.1"}, {"start_ns", at - kMin},
                          {"end_ns", at},          {"at_ns", at},           {"offset_ns", off},
                          {"uncertainty_ns", kMs}, {"precision_ns", kMs},   {"samples", 10},
                          {"step", step}}
        .dump();
  };
  std::string text;
  text += line("fast", kT0, 3 * kS, false) + "\n";
  text += line("fast", kT0 + kHour, 3 * kS + 100 * kMs, false) + "\n";
  // The same two points for a host whose name needs an escape (the JSON parser reads it) and
  // written with spaces (likewise).
  text += line("q\"uote", kT0, 3 * kS, false) + "\n";
  text += R"({"host": "spaced", "address": "10.0.0.1", "start_ns": )" + std::to_string(kT0 - kMin) +
          R"(, "at_ns": )" + std::to_string(kT0) + R"(, "offset_ns": )" + std::to_string(3 * kS) +
          R"(, "uncertainty_ns": 1000000})" + "\n";
  text += line("q\"uote", kT0 + kHour, 3 * kS + 100 * kMs, false) + "\n";
  text +=
      line("stepped", kT0, kS, false) + "\n" + line("stepped", kT0 + kHour, 2 * kS, true) + "\n";
  text += R"({"host":"torn","address":"10.0.0.1","start_ns":1,"at_ns":)";  // cut by a crash
  ASSERT_TRUE(fs_.WriteFileAtomic(dir_.path() + "/timewatch/offsets.jsonl", text).ok());
  auto c = Corrector::Load(fs_, dir_.path());
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  const int64_t mid = kT0 + kHour / 2;  // halfway: 3.05 s
  for (const char* host : {"fast", "q\"uote"}) {
    Correction k = c->Correct(host, "10.0.0.1", mid + 3 * kS + 50 * kMs);
    ASSERT_TRUE(k.estimated) << host;
    EXPECT_NEAR(static_cast<double>(k.offset_ns) / kMs, 3050.0, 1.0) << host;
    EXPECT_EQ(k.uncertainty_ns, kMs) << host;
  }
  EXPECT_EQ(c->Correct("spaced", "10.0.0.1", kT0 + 3 * kS).offset_ns, 3 * kS);
  // Across a step there is no interpolation: before the step's window, the old offset.
  EXPECT_EQ(c->Correct("stepped", "10.0.0.1", kT0 + 10 * kMin + kS).offset_ns, kS);
  EXPECT_FALSE(c->Correct("torn", "10.0.0.1", kT0).estimated);
}

TEST(TimestampPrecision, FromTheHeader) {
  syslog::ZoneRules zones;
  auto prec = [&](const std::string& raw) {
    RecordView r;
    r.raw = raw;
    r.header = syslog::ParseSyslog(raw, kT0, zones, PeerAddress{});
    return TimestampPrecisionNs(r);
  };
  EXPECT_EQ(prec("<13>1 2026-05-28T10:00:00.123456Z h a - - - m 12:34:56.7"), 1000);
  EXPECT_EQ(prec("<13>1 2026-05-28T10:00:00.123Z h a - - - m"), kMs);
  EXPECT_EQ(prec("<13>1 2026-05-28T10:00:00Z h a - - - m"), kS);
  EXPECT_EQ(prec("<13>May 28 10:00:00 h a: m"), kS);
  EXPECT_EQ(prec("<189>12: rtr1: *May 28 10:00:00.123 UTC: %NTP-5-PEERSYNC: NTP synced to peer "
                 "192.0.2.1"),
            kMs);
}

}  // namespace
}  // namespace kiroku::timewatch
